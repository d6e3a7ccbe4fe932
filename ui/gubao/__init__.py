"""The 鼓宝 console: knowledge base, announcements, alert rules, service catalogue."""
