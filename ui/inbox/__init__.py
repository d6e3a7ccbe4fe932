"""The inbox (群消息诉求): residents' requests that the 鼓宝 bot forwards from the grid
WeChat groups, grouped by group with unread counts, to be made into tickets, linked to an
existing ticket (several at once), dismissed with a reason, or answered in the group.
"""
