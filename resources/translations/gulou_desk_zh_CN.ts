<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ActivitiesPage</name>
    <message>
        <source>Volunteer activities</source>
        <translation>志愿服务</translation>
    </message>
    <message>
        <source>Residents sign up in their groups by replying “报名 活动N”; hours are recorded when an activity is done.</source>
        <translation>居民在群里回复“报名 活动N”即可报名；活动完成后记录服务时长。</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Signed up</source>
        <translation>报名</translation>
    </message>
    <message>
        <source>Came</source>
        <translation>到场</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>New activity</source>
        <translation>新建活动</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Post it to its groups; residents sign up by replying with its code</source>
        <translation>发到群里，居民回复“报名”和活动编号即可报名</translation>
    </message>
    <message>
        <source>Record who came</source>
        <translation>记录到场</translation>
    </message>
    <message>
        <source>The activity is done; the volunteers&apos; hours count</source>
        <translation>活动完成，计入志愿者服务时长</translation>
    </message>
    <message>
        <source>Gu Bao (as residents see it)</source>
        <translation>鼓宝（居民在群里看到的样子）</translation>
    </message>
</context>
<context>
    <name>AdminView</name>
    <message>
        <source>Visit forms</source>
        <translation>走访表单</translation>
    </message>
    <message>
        <source>Catalogues</source>
        <translation>目录</translation>
    </message>
    <message>
        <source>Search by name or user name (Ctrl+F)</source>
        <translation>按姓名或用户名搜索（Ctrl+F）</translation>
    </message>
    <message>
        <source>All roles</source>
        <translation>全部角色</translation>
    </message>
    <message>
        <source>New staff member…</source>
        <translation>新增人员…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Community / street</source>
        <translation>社区／街道</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>最近联系</translation>
    </message>
    <message>
        <source>Nobody here matches</source>
        <translation>没有相符的人员</translation>
    </message>
    <message>
        <source>Clear the search or choose all roles; a new staff member is added with the button above.</source>
        <translation>清除搜索或选择“全部角色”；新增人员请用上方的按钮。</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>Grids…</source>
        <translation>分配网格…</translation>
    </message>
    <message>
        <source>Community…</source>
        <translation>调整社区…</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Cover…</source>
        <translation>临时顶岗…</translation>
    </message>
    <message>
        <source>Devices of the selected person</source>
        <translation>所选人员的设备</translation>
    </message>
    <message>
        <source>Computer</source>
        <translation>电脑</translation>
    </message>
    <message>
        <source>First seen</source>
        <translation>首次登录</translation>
    </message>
    <message>
        <source>No computer yet</source>
        <translation>还没有电脑</translation>
    </message>
    <message>
        <source>The computers this person signs in on are listed here after their first sign-in; a lost one is revoked here.</source>
        <translation>此人首次在电脑上登录后，其电脑会列在这里；电脑丢失时在这里撤销。</translation>
    </message>
    <message>
        <source>Revoke device (wipes it)</source>
        <translation>撤销设备（清除其数据）</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>One-time password for %1: %2 — tell it to them; they choose their own at their first sign-in.</source>
        <translation>%1 的一次性密码：%2 —— 请告知本人；首次登录时须改为自己的密码。</translation>
    </message>
    <message>
        <source>Disable the account</source>
        <translation>停用账号</translation>
    </message>
    <message>
        <source>Disable %1? They can no longer sign in, and each of their computers deletes its local data at its next contact.</source>
        <translation>停用 %1？停用后无法登录，其每台电脑在下次联网时会删除本地数据。</translation>
    </message>
    <message>
        <source>%1 can no longer sign in.</source>
        <translation>%1 已无法登录。</translation>
    </message>
    <message>
        <source>%1 can sign in again.</source>
        <translation>%1 可以重新登录。</translation>
    </message>
    <message>
        <source>The grids are saved.</source>
        <translation>网格已保存。</translation>
    </message>
    <message>
        <source>The community is saved.</source>
        <translation>社区已保存。</translation>
    </message>
    <message>
        <source>The cover is saved; it ends by itself on its last day.</source>
        <translation>临时顶岗已保存，到最后一天自动结束。</translation>
    </message>
    <message>
        <source>The device is revoked: it deletes its local data at its next contact.</source>
        <translation>设备已撤销：下次联网时清除其本地数据。</translation>
    </message>
    <message>
        <source>Social worker</source>
        <translation>社工</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>From</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>To</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>No covers</source>
        <translation>没有临时顶岗</translation>
    </message>
    <message>
        <source>When a social worker is away, choose someone in the staff list and “Cover…”: their cover shows here until it ends.</source>
        <translation>社工不在岗时，在人员列表中选择一位顶岗人员并点“临时顶岗…”：顶岗安排显示在这里，直到结束。</translation>
    </message>
    <message>
        <source>End cover now</source>
        <translation>立即结束顶岗</translation>
    </message>
    <message>
        <source>Covers</source>
        <translation>临时顶岗</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>The cover ended.</source>
        <translation>临时顶岗已结束。</translation>
    </message>
    <message>
        <source>Only groups not mapped to a grid</source>
        <translation>只看未对应网格的群</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>群</translation>
    </message>
    <message>
        <source>Group id</source>
        <translation>群号</translation>
    </message>
    <message>
        <source>Waiting messages</source>
        <translation>待分派消息</translation>
    </message>
    <message>
        <source>No WeChat groups</source>
        <translation>没有微信群</translation>
    </message>
    <message>
        <source>A group shows here once the bot forwards a message from it.</source>
        <translation>机器人转发该群的第一条消息后，群会显示在这里。</translation>
    </message>
    <message>
        <source>Map to this grid</source>
        <translation>对应到此网格</translation>
    </message>
    <message>
        <source>Grid:</source>
        <translation>网格：</translation>
    </message>
    <message>
        <source>Messages waiting for this group&apos;s mapping</source>
        <translation>等待此群对应网格的消息</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>发送人</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发送时间</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>No message waits</source>
        <translation>没有待处理的消息</translation>
    </message>
    <message>
        <source>Choose a group that is not mapped: what its members wrote waits here until it is mapped to a grid.</source>
        <translation>选择一个未对应的群：群成员发来的消息在对应到网格之前在这里等待。</translation>
    </message>
    <message>
        <source>WeChat groups</source>
        <translation>微信群</translation>
    </message>
    <message>
        <source>Not mapped</source>
        <translation>未对应</translation>
    </message>
    <message>
        <source>Mapped to %1: its waiting messages go to the grid.</source>
        <translation>已对应到%1：待处理的消息将转给该网格。</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Person:</source>
        <translation>人员：</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>从：</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>到：</translation>
    </message>
    <message>
        <source>Nothing shown yet</source>
        <translation>尚未查询</translation>
    </message>
    <message>
        <source>Choose a person and the days, then “Show”: the audit log is read from the server.</source>
        <translation>选择人员和日期，然后点“查询”：审计日志从服务器读取。</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Record id</source>
        <translation>记录编号</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Old → new</source>
        <translation>原值 → 新值</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全部人员</translation>
    </message>
    <message>
        <source>The audit log is read from the server: connect first.</source>
        <translation>审计日志需从服务器读取：请先联网。</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>No entries</source>
        <translation>没有记录</translation>
    </message>
    <message>
        <source>Nobody chosen changed anything on these days.</source>
        <translation>所选人员在这些日期内没有任何修改。</translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>AnnouncementDialog</name>
    <message>
        <source>Edit announcement</source>
        <translation>编辑公告</translation>
    </message>
    <message>
        <source>New announcement</source>
        <translation>新建公告</translation>
    </message>
    <message>
        <source>Kept as a draft until it is scheduled; 鼓宝 posts it to the groups at its time, and a repeating one again each time it comes round.</source>
        <translation>排期前保存为草稿；到时间由鼓宝发到所选群里，重复的公告每到下一次时间再发。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活动预告</translation>
    </message>
    <message>
        <source>Holiday greeting</source>
        <translation>节日问候</translation>
    </message>
    <message>
        <source>Welcome message</source>
        <translation>入群欢迎语</translation>
    </message>
    <message>
        <source>What Gubao posts to the groups</source>
        <translation>鼓宝发到群里的内容</translation>
    </message>
    <message>
        <source>Once</source>
        <translation>只发一次</translation>
    </message>
    <message>
        <source>Every week, same day and time</source>
        <translation>每周同一天同一时间</translation>
    </message>
    <message>
        <source>Every public holiday, at this time</source>
        <translation>每个法定节假日的这个时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>发往的群</translation>
    </message>
    <message>
        <source>Goes at</source>
        <translation>发送时间</translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>Edit the welcome message</source>
        <translation>编辑欢迎语</translation>
    </message>
    <message>
        <source>New welcome message</source>
        <translation>新建欢迎语</translation>
    </message>
    <message>
        <source>Kept as a draft until it is scheduled; from then on 鼓宝 greets each newcomer to the groups with it, as they join.</source>
        <translation>排期前保存为草稿；排期后，鼓宝用它欢迎每位新入群的居民（在其入群时发送）。</translation>
    </message>
    <message>
        <source>A title and a text are needed.</source>
        <translation>需要填写标题和正文。</translation>
    </message>
    <message>
        <source>Choose at least one group to post to.</source>
        <translation>请至少选择一个要发往的群。</translation>
    </message>
    <message>
        <source>The text is too long for one group message.</source>
        <translation>正文太长，一条群消息放不下。</translation>
    </message>
</context>
<context>
    <name>AnnouncementsPage</name>
    <message>
        <source>Approve</source>
        <translation>批准发送</translation>
    </message>
    <message>
        <source>Show every date</source>
        <translation>显示全部日期</translation>
    </message>
    <message>
        <source>Welcome message of each group</source>
        <translation>各群的入群欢迎语</translation>
    </message>
    <message>
        <source>Edit the welcome message…</source>
        <translation>编辑欢迎语…</translation>
    </message>
    <message>
        <source>Choose a group in the list above first.</source>
        <translation>请先在上面的列表中选择一个群。</translation>
    </message>
    <message>
        <source>Every date</source>
        <translation>全部日期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Goes at</source>
        <translation>发送时间</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>公告</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New announcement</source>
        <translation>新建公告</translation>
    </message>
    <message>
        <source>Red: something goes that day; green: sent.</source>
        <translation>红色：当天有待发公告；绿色：已发送。</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>排期发送</translation>
    </message>
    <message>
        <source>Cancel it</source>
        <translation>取消公告</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Demo social worker</source>
        <translation>演示社工</translation>
    </message>
    <message>
        <source>Demo clerk</source>
        <translation>演示办事员</translation>
    </message>
    <message>
        <source>Demo supervisor</source>
        <translation>演示主管</translation>
    </message>
    <message>
        <source>Demo administrator</source>
        <translation>演示管理员</translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>Preparing the demo server and its data…</source>
        <translation>正在准备演示服务器和演示数据…</translation>
    </message>
    <message>
        <source>Starting the demo…</source>
        <translation>正在启动演示…</translation>
    </message>
    <message>
        <source>Please sign in again so that your work can sync. You can keep working meanwhile.</source>
        <translation>请重新登录，以便同步您的工作。在此期间您可以继续工作。</translation>
    </message>
    <message>
        <source>No secure key store on this computer: you will be asked for your password next time.</source>
        <translation>这台电脑没有安全的密钥存储：下次启动时需要重新输入密码。</translation>
    </message>
    <message>
        <source>Your earlier local data could not be read on this computer (its key is gone), so it is being downloaded again. The unreadable file is kept as %1 for IT; any edits in it that were not sent are in it.</source>
        <translation>本机之前的本地数据无法读取（其密钥已不在），现正重新下载。无法读取的文件已另存为 %1，供信息技术人员处理；其中未发送的修改仍保留在该文件中。</translation>
    </message>
    <message>
        <source>Not syncing: your local data could not be opened.</source>
        <translation>未在同步：无法打开本地数据。</translation>
    </message>
    <message>
        <source>Your local data could not be opened, so this window cannot sync: %1
Nothing has been deleted; the log file has the details for IT.</source>
        <translation>无法打开本地数据，此窗口暂时无法同步：%1
没有删除任何数据；详细信息已写入日志文件，可交给信息科查看。</translation>
    </message>
    <message>
        <source>Opening your local data…</source>
        <translation>正在打开本地数据…</translation>
    </message>
    <message>
        <source>Your sign-in has expired. Sign in again to keep syncing; your edits are kept.</source>
        <translation>登录已过期。请重新登录以继续同步；您的修改已妥善保存。</translation>
    </message>
    <message>
        <source>Sign out?</source>
        <translation>退出登录？</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) have not been sent to the server yet.</source>
        <translation>
            <numerusform>有 %n 条修改尚未发送到服务器。</numerusform>
        </translation>
    </message>
    <message>
        <source>They stay on this computer and are sent when you sign in again here. To send them now, cancel and sync first.</source>
        <translation>这些修改会保留在这台电脑上，您下次在这里登录时发送。要现在发送，请取消并先同步。</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Your administrator revoked this computer&apos;s access, so the local data on it was deleted. Sign in to use it again.</source>
        <translation>管理员已撤销本电脑的访问权限，本机上的本地数据已删除。如需继续使用，请重新登录。</translation>
    </message>
</context>
<context>
    <name>ApprovalQueueView</name>
    <message>
        <source>Approval queue</source>
        <translation>审批队列</translation>
    </message>
    <message>
        <source>Approval queue (%1)</source>
        <translation>审批队列（%1）</translation>
    </message>
    <message>
        <source>Nothing to decide</source>
        <translation>没有待审批的考核</translation>
    </message>
    <message>
        <source>Records your social workers submit appear here, the longest waiting first.</source>
        <translation>社工提交的月度考核会出现在这里，等待最久的排在最前。</translation>
    </message>
    <message numerus="yes">
        <source>The server did not accept %n of your decisions: the record had changed in the meantime.</source>
        <translation>
            <numerusform>服务器未接受您的 %n 项审批决定：考核记录在此期间已被修改。</numerusform>
        </translation>
    </message>
    <message>
        <source>A decision of yours was not accepted: the record changed before it arrived. Please decide again on what it says now.</source>
        <translation>您的一项审批决定未被接受：在它送达之前考核记录已被修改。请按记录现在的内容重新审批。</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>Approved: %1, %2. It is sent to the server at the next sync.</source>
        <translation>已通过：%1，%2。将在下次同步时发送到服务器。</translation>
    </message>
    <message>
        <source>Returned: %1, %2. It is sent to the server at the next sync.</source>
        <translation>已退回：%1，%2。将在下次同步时发送到服务器。</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Your decision has been sent to the server already: to take it back, reopen the record with a reason.</source>
        <translation>审批已发送到服务器：如需收回，请填写原因后重新打开这份考核。</translation>
    </message>
</context>
<context>
    <name>ApproveExtensionDialog</name>
    <message>
        <source>The assignee asked for %1 more working days: %2</source>
        <translation>承办人申请延期 %1 个工作日：%2</translation>
    </message>
    <message>
        <source>The due time moves later by the working days you give.</source>
        <translation>办理时限将按您给出的工作日顺延。</translation>
    </message>
    <message>
        <source>Approve more time</source>
        <translation>批准延期</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source> working days</source>
        <translation> 个工作日</translation>
    </message>
    <message>
        <source>More time</source>
        <translation>延期</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <source>Assign the ticket</source>
        <translation>派单</translation>
    </message>
    <message>
        <source>Choose who handles it. Workers of the ticket&apos;s grid are listed first.</source>
        <translation>选择承办人。本网格的社工排在最前。</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>派单</translation>
    </message>
    <message>
        <source>Filter by name</source>
        <translation>按姓名筛选</translation>
    </message>
    <message>
        <source>this grid</source>
        <translation>本网格</translation>
    </message>
    <message>
        <source>%1 (assigned now)</source>
        <translation>%1（当前承办人）</translation>
    </message>
    <message>
        <source>No colleagues of this community are in your copy yet. Sync, then try again.</source>
        <translation>本地还没有本社区的工作人员名单。请先同步，再试一次。</translation>
    </message>
    <message>
        <source>Choose a colleague.</source>
        <translation>请选择一位同事。</translation>
    </message>
</context>
<context>
    <name>AttendanceDialog</name>
    <message>
        <source>Record who came</source>
        <translation>记录到场</translation>
    </message>
    <message>
        <source>“%1” is then done; the hours count for each volunteer.</source>
        <translation>“%1”将标记为已完成，并为每位志愿者计入服务时长。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source>Nobody signed up.</source>
        <translation>没有人报名。</translation>
    </message>
</context>
<context>
    <name>CancelAnnouncementDialog</name>
    <message>
        <source>Cancel the announcement</source>
        <translation>取消这条公告</translation>
    </message>
    <message>
        <source>“%1” will not be sent (a repeating one not again). This cannot be undone.</source>
        <translation>“%1”将不再发送（重复的公告以后也不再发）。取消后无法恢复。</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>可不填</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>CannedReplies</name>
    <message>
        <source>Hello, we have received your message. The community has registered it and will send someone to deal with it. Thank you for your patience.</source>
        <translation>您好，已收到您的反映，社区已登记并安排工作人员处理，感谢您的耐心等待。</translation>
    </message>
    <message>
        <source>Hello, our staff are working on it; we will tell you the result here as soon as we have it.</source>
        <translation>您好，工作人员正在处理中，有结果会第一时间在群里告知您。</translation>
    </message>
    <message>
        <source>Hello, please send us the building, unit and room number so that we can come and help.</source>
        <translation>您好，请把具体的楼栋、单元和门牌号发给我们，方便上门处理。</translation>
    </message>
    <message>
        <source>Hello, this has been dealt with. If there is still a problem, please contact the community at any time.</source>
        <translation>您好，此事已办结。如仍有问题，请随时联系社区。</translation>
    </message>
    <message>
        <source>Hello, for this please ask at the community service hall on working days, 8:30 to 17:30.</source>
        <translation>您好，此事请在工作日 8:30-17:30 到社区服务大厅咨询办理。</translation>
    </message>
</context>
<context>
    <name>CannedRepliesDialog</name>
    <message>
        <source>Canned replies</source>
        <translation>常用回复</translation>
    </message>
    <message>
        <source>Double-click a reply to change it. The list is kept on this computer.</source>
        <translation>双击一条回复即可修改。列表保存在本机。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Restore the defaults</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <source>The list could not be saved on this computer.</source>
        <translation>列表未能保存到本机。</translation>
    </message>
</context>
<context>
    <name>CannedReplyDialog</name>
    <message>
        <source>Canned reply</source>
        <translation>常用回复</translation>
    </message>
    <message>
        <source>%1 / %2 characters</source>
        <translation>%1 / %2 字</translation>
    </message>
</context>
<context>
    <name>CatalogueTab</name>
    <message>
        <source>Ticket categories: SLA in working days</source>
        <translation>工单类别：办理时限（工作日）</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Working days</source>
        <translation>工作日</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>New category…</source>
        <translation>新增类别…</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Retire</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Priorities: at most (working days)</source>
        <translation>紧急程度：最长时限（工作日）</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>At most</source>
        <translation>最长</translation>
    </message>
    <message>
        <source>no cap</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Canned replies to residents (the district&apos;s)</source>
        <translation>常用回复（全区统一）</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>New tickets are due by these SLAs once saved and synced; open tickets keep their due time.</source>
        <translation>保存并同步后，新工单按这些时限计算；已有工单的时限不变。</translation>
    </message>
    <message>
        <source>Save catalogue</source>
        <translation>保存目录</translation>
    </message>
    <message>
        <source>Retired</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Use again</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>没有改动。</translation>
    </message>
    <message>
        <source>Catalogue saved (%1 changes): everyone receives it at their next sync.</source>
        <translation>目录已保存（%1 项改动）：各人下次同步时收到。</translation>
    </message>
</context>
<context>
    <name>CategoryDialog</name>
    <message>
        <source>New ticket category</source>
        <translation>新增工单类别</translation>
    </message>
    <message>
        <source>Rename the category</source>
        <translation>重命名类别</translation>
    </message>
    <message>
        <source>Chinese name</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <source>English name</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <source>SLA (working days)</source>
        <translation>办理时限（工作日）</translation>
    </message>
    <message>
        <source>Tickets of the category are due this many working days after they are made. Saved with the catalogue.</source>
        <translation>该类别的工单在创建后这么多个工作日内到期。随目录一起保存。</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <source>Follow-up call</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Call the resident and ask whether the problem is solved to their satisfaction.</source>
        <translation>请致电居民，询问问题是否已解决、是否满意。</translation>
    </message>
    <message>
        <source>Not known: see the ticket</source>
        <translation>不详：请查看工单</translation>
    </message>
    <message>
        <source>No phone number on record</source>
        <translation>没有登记电话</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>回访对象</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Ask in the group</source>
        <translation>可在群里询问</translation>
    </message>
    <message>
        <source>Satisfied (满意)</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Basically satisfied (基本满意)</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>Dissatisfied (不满意)</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>The resident is</source>
        <translation>居民评价</translation>
    </message>
    <message>
        <source>What the resident said (optional)</source>
        <translation>居民的意见（可不填）</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Dissatisfied: the ticket is not closed. It is sent back to be handled again (发回重办): it returns to its assignee with a new deadline.</source>
        <translation>不满意：工单不会结案，而是发回重办——退回原承办人，并重新计算办理时限。</translation>
    </message>
    <message>
        <source>Send back (发回重办)</source>
        <translation>发回重办</translation>
    </message>
    <message>
        <source>Close the ticket</source>
        <translation>回访结案</translation>
    </message>
    <message>
        <source>Choose how satisfied the resident is.</source>
        <translation>请选择居民的满意度。</translation>
    </message>
</context>
<context>
    <name>CommunityDialog</name>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
</context>
<context>
    <name>ConflictCard</name>
    <message>
        <source>Changed by %1 on %2</source>
        <translation>由 %1 于 %2 修改</translation>
    </message>
    <message>
        <source>Changed by %1</source>
        <translation>由 %1 修改</translation>
    </message>
    <message>
        <source>Changed on %1</source>
        <translation>修改于 %1</translation>
    </message>
    <message>
        <source>Keep the server&apos;s</source>
        <translation>保留服务器的</translation>
    </message>
    <message>
        <source>Your value is dropped; the server&apos;s stays.</source>
        <translation>放弃您的值，保留服务器上的值。</translation>
    </message>
    <message>
        <source>Use mine</source>
        <translation>用我的</translation>
    </message>
    <message>
        <source>Your value is sent again and replaces the server&apos;s.</source>
        <translation>重新发送您的值，替换服务器上的值。</translation>
    </message>
    <message>
        <source>Your value</source>
        <translation>您的值</translation>
    </message>
    <message>
        <source>On the server now</source>
        <translation>服务器上现在的值</translation>
    </message>
    <message>
        <source>Found %1</source>
        <translation>发现于 %1</translation>
    </message>
</context>
<context>
    <name>ConflictsView</name>
    <message>
        <source>%1 (no longer in your copy)</source>
        <translation>%1（已不在您的本地数据中）</translation>
    </message>
    <message>
        <source>The server did not accept this edit.</source>
        <translation>服务器未接受这次修改。</translation>
    </message>
    <message>
        <source>New record</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Deletion</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Step “%1”</source>
        <translation>操作“%1”</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>冲突处理</translation>
    </message>
    <message>
        <source>No conflicts</source>
        <translation>没有冲突</translation>
    </message>
    <message>
        <source>When someone else changed the same record, or the server did not accept an edit, you will choose here which value to keep. Nothing is lost.</source>
        <translation>当别人也修改了同一条记录，或服务器未接受某次修改时，您将在这里决定保留哪个值。任何内容都不会丢失。</translation>
    </message>
    <message>
        <source>Changed by someone else too</source>
        <translation>别人也修改过</translation>
    </message>
    <message>
        <source>Not accepted by the server</source>
        <translation>服务器未接受</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) wait for your decision. Until you decide, the server&apos;s value is shown everywhere and yours is kept here.</source>
        <translation>
            <numerusform>%n 处修改等待您决定。决定之前，各处显示服务器上的值，您的值保存在这里。</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing waits for your decision.</source>
        <translation>没有需要您决定的事项。</translation>
    </message>
</context>
<context>
    <name>ConsultationPane</name>
    <message>
        <source>Post to the groups</source>
        <translation>发到群里</translation>
    </message>
    <message>
        <source>Open the discussion</source>
        <translation>进入讨论</translation>
    </message>
    <message>
        <source>Open the vote</source>
        <translation>开始投票</translation>
    </message>
    <message>
        <source>Record a meeting</source>
        <translation>记录协商会</translation>
    </message>
    <message>
        <source>Record the decision</source>
        <translation>形成决定</translation>
    </message>
    <message>
        <source>Create a ticket</source>
        <translation>创建工单</translation>
    </message>
    <message>
        <source>Announce</source>
        <translation>结果公示</translation>
    </message>
    <message>
        <source>Re-post the announcement</source>
        <translation>再次公示</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>结束议题</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>答复人</translation>
    </message>
    <message>
        <source>Stance</source>
        <translation>态度</translation>
    </message>
    <message>
        <source>Said</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进展</translation>
    </message>
    <message>
        <source>Gu Bao (as residents see it)</source>
        <translation>鼓宝（居民在群里看到的样子）</translation>
    </message>
    <message>
        <source>WeChat preview</source>
        <translation>群内预览</translation>
    </message>
    <message>
        <source>Contributions</source>
        <translation>居民意见</translation>
    </message>
    <message>
        <source>Held</source>
        <translation>召开时间</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Votes</source>
        <translation>表决</translation>
    </message>
    <message>
        <source>Attendees</source>
        <translation>参会人员</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>会议纪要</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation>协商会</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Code given when posted to the groups</source>
        <translation>发到群里后生成编号</translation>
    </message>
    <message>
        <source>No topic chosen</source>
        <translation>未选择议题</translation>
    </message>
    <message>
        <source>Choose a topic on the board to follow it through its stages.</source>
        <translation>在上面的看板中选择一个议题，跟进它的各个阶段。</translation>
    </message>
</context>
<context>
    <name>ConsultationTextDialog</name>
    <message>
        <source>This cannot be empty.</source>
        <translation>不能为空。</translation>
    </message>
</context>
<context>
    <name>ConsultationsPage</name>
    <message>
        <source>New topic</source>
        <translation>新建议题</translation>
    </message>
    <message>
        <source>From a template: courtyard renovation, parking, elevator installation</source>
        <translation>从模板新建：庭院改造、停车管理、加装电梯</translation>
    </message>
    <message>
        <source>Consultations</source>
        <translation>民主协商</translation>
    </message>
</context>
<context>
    <name>ConvertDialog</name>
    <message>
        <source>From: %1</source>
        <translation>来自：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n messages become one ticket; the first is its source, the others are linked to it.</source>
        <translation>
            <numerusform>%n 条消息合为一张工单：第一条作为来源，其余关联到该工单。</numerusform>
        </translation>
    </message>
    <message>
        <source>Make a ticket</source>
        <translation>转为工单</translation>
    </message>
    <message>
        <source>Make the ticket</source>
        <translation>生成工单</translation>
    </message>
    <message>
        <source>No household</source>
        <translation>不关联住户</translation>
    </message>
    <message>
        <source>Find another household: name, address or phone</source>
        <translation>查找其他住户：姓名、地址或电话</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>the phone number</source>
        <translation>电话号码</translation>
    </message>
    <message>
        <source>the sender&apos;s name</source>
        <translation>发送人姓名</translation>
    </message>
    <message>
        <source>the address in the message</source>
        <translation>消息中的地址</translation>
    </message>
    <message>
        <source>Household guessed from %1; check it.</source>
        <translation>住户是根据%1推测的，请核对。</translation>
    </message>
    <message>
        <source>No household found from the message; find one, or leave it empty.</source>
        <translation>未能从消息中找到住户；可以查找，也可以不填。</translation>
    </message>
    <message>
        <source>Give the ticket a short title.</source>
        <translation>请为工单写一个简短的标题。</translation>
    </message>
    <message>
        <source>This message came from a group that is not linked to a grid: choose the household it is about.</source>
        <translation>这条消息来自未绑定网格的群：请选择它涉及的住户。</translation>
    </message>
</context>
<context>
    <name>CoverDialog</name>
    <message>
        <source>Cover a grid</source>
        <translation>临时顶岗</translation>
    </message>
    <message>
        <source>For the days given, this social worker also works in the grid chosen.</source>
        <translation>在所给日期内，该社工同时负责所选网格。</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>From</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>To (ends by itself)</source>
        <translation>结束（到期自动结束）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Choose a grid.</source>
        <translation>请选择网格。</translation>
    </message>
    <message>
        <source>The last day comes before the first.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Compute the dashboard again from the latest data on this computer</source>
        <translation>用本机最新数据重新计算统计看板</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出到 Excel…</translation>
    </message>
    <message>
        <source>The dashboard&apos;s tables as a workbook (Ctrl+E)</source>
        <translation>将看板的统计表导出为 Excel 工作簿（Ctrl+E）</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Filter the tables (Ctrl+F)</source>
        <translation>筛选表格（Ctrl+F）</translation>
    </message>
    <message>
        <source>By grid</source>
        <translation>按网格</translation>
    </message>
    <message>
        <source>By social worker</source>
        <translation>按社工</translation>
    </message>
    <message>
        <source>Open the alert rules in the Gubao section, with the open urgent alerts per community</source>
        <translation>打开鼓宝的智慧告警，查看各社区未处理的紧急告警</translation>
    </message>
    <message>
        <source>Reading the communities and grids…</source>
        <translation>正在读取社区和网格…</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Computing the dashboard… this takes a few seconds for a whole street.</source>
        <translation>正在计算统计看板…整个街道的数据需要几秒钟。</translation>
    </message>
    <message>
        <source>Cancelled: the charts show the last figures computed.</source>
        <translation>已取消：图表显示的是上次计算的结果。</translation>
    </message>
    <message>
        <source>%1 to %2 · %3 · computed from the data on this computer</source>
        <translation>%1 至 %2 · %3 · 根据本机数据计算</translation>
    </message>
    <message>
        <source>all communities</source>
        <translation>全部社区</translation>
    </message>
    <message>
        <source>Open urgent alerts: %1 ›</source>
        <translation>未处理的紧急告警：%1 条 ›</translation>
    </message>
    <message>
        <source>No urgent alert is open ›</source>
        <translation>没有未处理的紧急告警 ›</translation>
    </message>
    <message>
        <source>New data arrived since. %1</source>
        <translation>此后有新数据到达。%1</translation>
    </message>
    <message>
        <source>Export the dashboard to Excel</source>
        <translation>将统计看板导出到 Excel</translation>
    </message>
    <message>
        <source>dashboard-%1-%2.xlsx</source>
        <translation>统计看板-%1-%2.xlsx</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>DecisionTicketDialog</name>
    <message>
        <source>Create a ticket from the decision</source>
        <translation>根据协商决定创建工单</translation>
    </message>
    <message>
        <source>The ticket is linked to the consultation; its progress shows in the announcement re-posted to the groups.</source>
        <translation>工单与本协商议题关联，办理进展会写入再次发布到群里的公示。</translation>
    </message>
    <message>
        <source>Create ticket</source>
        <translation>创建工单</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Give the ticket a title.</source>
        <translation>请填写工单标题。</translation>
    </message>
    <message>
        <source>Choose the grid where the work is done.</source>
        <translation>请选择办理所在的网格。</translation>
    </message>
</context>
<context>
    <name>DeskNotifier</name>
    <message numerus="yes">
        <source>%n new request(s) from residents</source>
        <translation>
            <numerusform>居民新诉求 %n 条</numerusform>
        </translation>
    </message>
    <message>
        <source>Open the inbox</source>
        <translation>打开诉求箱</translation>
    </message>
    <message>
        <source>Gulou e-Home Desk</source>
        <translation>鼓楼e家工作台</translation>
    </message>
    <message>
        <source>%1 (and %2 more; see the tickets)</source>
        <translation>%1（另有 %2 条，请查看工单）</translation>
    </message>
    <message>
        <source>Show the ticket</source>
        <translation>查看工单</translation>
    </message>
</context>
<context>
    <name>DismissDialog</name>
    <message>
        <source>Dismiss</source>
        <translation>忽略</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) leave the inbox without a ticket. The reason is kept.</source>
        <translation>
            <numerusform>%n 条消息不生成工单，移出诉求箱；忽略原因会被保留。</numerusform>
        </translation>
    </message>
    <message>
        <source>Not a request: chat in the group</source>
        <translation>非诉求，群内闲聊</translation>
    </message>
    <message>
        <source>Already solved</source>
        <translation>已解决，无需处理</translation>
    </message>
    <message>
        <source>Advertisement</source>
        <translation>广告信息</translation>
    </message>
    <message>
        <source>Duplicate message</source>
        <translation>重复消息</translation>
    </message>
    <message>
        <source>A resident saying thank you</source>
        <translation>居民表示感谢，无需处理</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Give a reason.</source>
        <translation>请填写原因。</translation>
    </message>
</context>
<context>
    <name>DrillDownDialog</name>
    <message>
        <source>Filter the list (Ctrl+F)</source>
        <translation>筛选列表（Ctrl+F）</translation>
    </message>
    <message>
        <source>Double-click (or Enter) to open the visit or the ticket, to read</source>
        <translation>双击（或按回车）打开该走访或工单查看</translation>
    </message>
    <message>
        <source>Nothing counted</source>
        <translation>没有计入的记录</translation>
    </message>
    <message>
        <source>No visit or ticket is behind this figure.</source>
        <translation>这项指标没有对应的走访或工单。</translation>
    </message>
    <message>
        <source>Reading the list…</source>
        <translation>正在读取列表…</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n row(s))</source>
        <translation>
            <numerusform>%1（%n 条）</numerusform>
        </translation>
    </message>
    <message>
        <source>The list could not be read</source>
        <translation>无法读取列表</translation>
    </message>
</context>
<context>
    <name>EntryDialog</name>
    <message>
        <source>New knowledge entry</source>
        <translation>新建民生问答</translation>
    </message>
    <message>
        <source>Edit knowledge entry</source>
        <translation>编辑民生问答</translation>
    </message>
    <message>
        <source>鼓宝 answers a resident&apos;s question with this entry when the question has one of its keywords (or a synonym of it) and reads like the question.</source>
        <translation>居民的提问含有这条问答的某个关键词（或其同义词）且与问题相近时，鼓宝用它回答。</translation>
    </message>
    <message>
        <source>Words residents use and their synonyms, separated by spaces</source>
        <translation>居民常用的说法及同义词，用空格分隔</translation>
    </message>
    <message>
        <source>What Gubao posts to the group</source>
        <translation>鼓宝在群里回复的内容</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>止</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Keywords</source>
        <translation>关键词</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Applies to</source>
        <translation>适用范围</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效期</translation>
    </message>
    <message>
        <source>Keywords are single words of up to 32 characters, at most 30 of them.</source>
        <translation>关键词为单个词语，每个不超过 32 个字，最多 30 个。</translation>
    </message>
    <message>
        <source>The end of the period is before its start.</source>
        <translation>有效期的结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>A question and an answer are needed.</source>
        <translation>请填写问题和答复。</translation>
    </message>
    <message>
        <source>Give at least one keyword residents would use.</source>
        <translation>请至少填写一个居民会用的关键词。</translation>
    </message>
    <message>
        <source>The answer is too long for one group message.</source>
        <translation>答复太长，一条群消息放不下。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>The user name or password is not right.</source>
        <translation>用户名或密码不正确。</translation>
    </message>
    <message>
        <source>Your sign-in has expired. Please sign in again.</source>
        <translation>登录已过期，请重新登录。</translation>
    </message>
    <message>
        <source>This computer&apos;s access was revoked by your administrator.</source>
        <translation>管理员已撤销本电脑的访问权限。</translation>
    </message>
    <message>
        <source>Your account is not allowed to do this.</source>
        <translation>您的账号没有执行此操作的权限。</translation>
    </message>
    <message>
        <source>The record no longer exists on the server.</source>
        <translation>该记录在服务器上已不存在。</translation>
    </message>
    <message>
        <source>The server did not accept the data.</source>
        <translation>服务器未接受提交的数据。</translation>
    </message>
    <message>
        <source>This is too large to send to the server.</source>
        <translation>内容过大，无法发送到服务器。</translation>
    </message>
    <message>
        <source>Too many attempts. Please wait a minute and try again.</source>
        <translation>尝试次数过多，请稍等一分钟再试。</translation>
    </message>
    <message>
        <source>The server had a problem. Please try again later.</source>
        <translation>服务器出现问题，请稍后再试。</translation>
    </message>
    <message>
        <source>The server answered something unexpected. Is the server address right?</source>
        <translation>服务器返回了无法识别的内容。请检查服务器地址是否正确。</translation>
    </message>
    <message>
        <source>Someone changed this record on the server before your edit arrived.</source>
        <translation>在您的修改送达之前，别人已在服务器上改动了这条记录。</translation>
    </message>
    <message>
        <source>This step is no longer possible: the record has moved on meanwhile.</source>
        <translation>这一步已无法进行：记录的状态已经变化。</translation>
    </message>
    <message>
        <source>It built on an earlier edit that the server did not accept.</source>
        <translation>它依赖的前一次修改未被服务器接受。</translation>
    </message>
    <message>
        <source>Your local data on this computer is encrypted, and its key is not in this computer&apos;s key store (the key store was reset, or the file was copied from another computer). Sign in to download your data again; the unreadable file is kept aside, not deleted.</source>
        <translation>本机的本地数据已加密，但本机的密钥存储中没有它的密钥（密钥存储被重置，或文件是从其他电脑复制来的）。请登录以重新下载您的数据；无法读取的文件会另行保存，不会删除。</translation>
    </message>
    <message>
        <source>Your local data file cannot be read with this computer&apos;s key: it is damaged, or it was encrypted with a key this computer no longer has.</source>
        <translation>无法用本机的密钥读取本地数据文件：文件已损坏，或它是用本机已不再持有的密钥加密的。</translation>
    </message>
    <message>
        <source>Offline: your changes are kept and will sync later.</source>
        <translation>离线：您的修改已保存，联网后会自动同步。</translation>
    </message>
    <message>
        <source>Sign-in expired: please sign in again to sync.</source>
        <translation>登录已过期：请重新登录后再同步。</translation>
    </message>
    <message>
        <source>This computer&apos;s access was revoked: its local data is being deleted.</source>
        <translation>本电脑的访问权限已被撤销，正在删除本机的本地数据。</translation>
    </message>
    <message>
        <source>The server refused access for this account.</source>
        <translation>服务器拒绝了该账号的访问。</translation>
    </message>
    <message>
        <source>The server had a problem; sync will try again.</source>
        <translation>服务器出现问题，稍后将自动重试同步。</translation>
    </message>
    <message>
        <source>The server answered something unexpected; sync will try again.</source>
        <translation>服务器返回了无法识别的内容，稍后将自动重试同步。</translation>
    </message>
    <message>
        <source>The server is busy; sync will try again shortly.</source>
        <translation>服务器繁忙，稍后将自动重试同步。</translation>
    </message>
    <message>
        <source>Sync was cancelled.</source>
        <translation>同步已取消。</translation>
    </message>
    <message>
        <source>The local database could not be written; sync stopped.</source>
        <translation>无法写入本地数据库，同步已停止。</translation>
    </message>
    <message>
        <source>The task was cancelled.</source>
        <translation>操作已取消。</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the network and try again.</source>
        <translation>无法连接服务器。请检查网络后重试。</translation>
    </message>
    <message>
        <source>The local database is busy. Please try again in a moment.</source>
        <translation>本地数据库正忙，请稍后再试。</translation>
    </message>
    <message>
        <source>The local database file is damaged (it is not a readable database).</source>
        <translation>本地数据库文件已损坏（无法作为数据库读取）。</translation>
    </message>
    <message>
        <source>The local database could not be read or written.</source>
        <translation>无法读写本地数据库。</translation>
    </message>
    <message>
        <source>A file could not be opened: permission denied.</source>
        <translation>无法打开文件：没有访问权限。</translation>
    </message>
    <message>
        <source>The disk is full. Free some space and try again.</source>
        <translation>磁盘已满。请清理出一些空间后重试。</translation>
    </message>
    <message>
        <source>The computer ran out of memory.</source>
        <translation>电脑内存不足。</translation>
    </message>
    <message>
        <source>Something went wrong. The details were written to the log file.</source>
        <translation>出现了问题，详细信息已记录到日志文件中。</translation>
    </message>
</context>
<context>
    <name>ExtensionDialog</name>
    <message>
        <source>Ask for more time</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <source>A supervisor decides; until then the due time stays as it is.</source>
        <translation>由主管审批；批准之前办理时限不变。</translation>
    </message>
    <message>
        <source>Send the request</source>
        <translation>提交申请</translation>
    </message>
    <message>
        <source> working days</source>
        <translation> 个工作日</translation>
    </message>
    <message>
        <source>e.g. waiting for a spare part from the maintenance company</source>
        <translation>例如：等待维保单位的配件</translation>
    </message>
    <message>
        <source>More time</source>
        <translation>延期</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Please say why more time is needed.</source>
        <translation>请说明需要延期的原因。</translation>
    </message>
</context>
<context>
    <name>FigureTile</name>
    <message>
        <source>%1
Click to see the list behind this figure.</source>
        <translation>%1
点击查看这项指标对应的明细。</translation>
    </message>
</context>
<context>
    <name>FiguresPage</name>
    <message>
        <source>Participation in my grids</source>
        <translation>我的网格居民参与情况</translation>
    </message>
    <message>
        <source>Participation by community</source>
        <translation>各社区居民参与情况</translation>
    </message>
    <message>
        <source>Questionnaires that went to my grids and their responses from my grids (the community&apos;s clerk sees the whole community&apos;s), consultations decided, volunteer hours of activities done.</source>
        <translation>发到我的网格的问卷及我的网格内的回复（全社区的数字请看社区办事员的统计）、已形成决定的协商议题、已完成活动的志愿服务时长。</translation>
    </message>
    <message>
        <source>Questionnaires run (published or later), their response rate against the households of the grids they went to, consultations decided, volunteer hours of activities done.</source>
        <translation>已发布的问卷数、按目标网格户数计算的回复率、已形成决定的协商议题、已完成活动的志愿服务时长。</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Questionnaires</source>
        <translation>问卷数</translation>
    </message>
    <message>
        <source>Responses</source>
        <translation>回复数</translation>
    </message>
    <message>
        <source>Response rate</source>
        <translation>回复率</translation>
    </message>
    <message>
        <source>Consultations</source>
        <translation>协商议题</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>已决定</translation>
    </message>
    <message>
        <source>Activities done</source>
        <translation>完成活动</translation>
    </message>
    <message>
        <source>Volunteer hours</source>
        <translation>志愿时长</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Any visit state</source>
        <translation>全部走访状态</translation>
    </message>
    <message>
        <source>Due for a visit</source>
        <translation>待走访</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>Due this week</source>
        <translation>本周到期</translation>
    </message>
    <message>
        <source>Has open tickets</source>
        <translation>有未办结工单</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>Filter:</source>
        <translation>筛选：</translation>
    </message>
    <message>
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <source>All buildings</source>
        <translation>全部楼栋</translation>
    </message>
    <message>
        <source>%1 building %2</source>
        <translation>%1 %2 栋</translation>
    </message>
    <message>
        <source>Any tag</source>
        <translation>全部标签</translation>
    </message>
</context>
<context>
    <name>FormDesigner</name>
    <message>
        <source>Short text</source>
        <translation>短文本</translation>
    </message>
    <message>
        <source>Long text</source>
        <translation>长文本</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>One choice</source>
        <translation>单选</translation>
    </message>
    <message>
        <source>Several choices</source>
        <translation>多选</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Yes / no</source>
        <translation>是 / 否</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>the key is lower-case letters, digits and _, starting with a letter</source>
        <translation>字段名只能用小写字母、数字和 _，且以字母开头</translation>
    </message>
    <message>
        <source>another question has this key</source>
        <translation>另一个问题已使用这个字段名</translation>
    </message>
    <message>
        <source>give the label in Chinese and in English</source>
        <translation>请填写中文和英文标题</translation>
    </message>
    <message>
        <source>choose a type</source>
        <translation>请选择类型</translation>
    </message>
    <message>
        <source>give the options, one a line: value | 中文 | English</source>
        <translation>请填写选项，每行一个：值 | 中文 | English</translation>
    </message>
    <message>
        <source>the lowest is above the highest</source>
        <translation>最小值大于最大值</translation>
    </message>
    <message>
        <source>the length limit is not valid</source>
        <translation>字数上限无效</translation>
    </message>
    <message>
        <source>the condition does not fit the question it depends on</source>
        <translation>显示条件与所依据的问题不符</translation>
    </message>
    <message>
        <source>a condition depends on a question above it</source>
        <translation>显示条件只能依据排在前面的问题</translation>
    </message>
    <message>
        <source>a form has at least one question</source>
        <translation>表单至少要有一个问题</translation>
    </message>
    <message>
        <source>this part of the question is not valid</source>
        <translation>这个问题的设置有误</translation>
    </message>
    <message>
        <source>Question %1 (%2): %3</source>
        <translation>问题 %1（%2）：%3</translation>
    </message>
</context>
<context>
    <name>FormsTab</name>
    <message>
        <source>Forms and their versions</source>
        <translation>表单及其版本</translation>
    </message>
    <message>
        <source>New form</source>
        <translation>新建表单</translation>
    </message>
    <message>
        <source>Name (Chinese)</source>
        <translation>名称（中文）</translation>
    </message>
    <message>
        <source>Name (English)</source>
        <translation>名称（英文）</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Preview…</source>
        <translation>预览…</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>The answer&apos;s name in the data: lower-case letters, digits and _</source>
        <translation>答案在数据中的名称：小写字母、数字和 _</translation>
    </message>
    <message>
        <source>One option a line: value | 中文 | English</source>
        <translation>每行一个选项：值 | 中文 | English</translation>
    </message>
    <message>
        <source>when the answer is (values, comma between)</source>
        <translation>当答案为（多个值用逗号分隔）</translation>
    </message>
    <message>
        <source>Label (Chinese)</source>
        <translation>标题（中文）</translation>
    </message>
    <message>
        <source>Label (English)</source>
        <translation>标题（英文）</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>字段名</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>Lowest</source>
        <translation>最小值</translation>
    </message>
    <message>
        <source>Highest</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>At most (characters)</source>
        <translation>最多字数</translation>
    </message>
    <message>
        <source>Show only if</source>
        <translation>仅在以下情况显示</translation>
    </message>
    <message>
        <source>current</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>%1 · version %2 (%3)</source>
        <translation>%1 · 第 %2 版（%3）</translation>
    </message>
    <message>
        <source>(no label)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>(always shown)</source>
        <translation>（始终显示）</translation>
    </message>
    <message>
        <source>Give the form a Chinese name.</source>
        <translation>请填写表单的中文名称。</translation>
    </message>
    <message>
        <source>A new form: it is published as version 1.</source>
        <translation>新表单：发布后为第 1 版。</translation>
    </message>
    <message>
        <source>Editing a copy of version %1. Publishing makes it version %2; visits filled with earlier versions keep theirs.</source>
        <translation>正在编辑第 %1 版的副本。发布后成为第 %2 版；按旧版本填写的走访记录保留原版本。</translation>
    </message>
    <message>
        <source>Published %1, version %2: social workers receive it at their next sync.</source>
        <translation>已发布 %1 第 %2 版：社工下次同步时收到。</translation>
    </message>
</context>
<context>
    <name>GridsDialog</name>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Tick the grids this social worker works in; their households sync to their computer.</source>
        <translation>勾选该社工负责的网格；这些网格的住户会同步到其电脑。</translation>
    </message>
</context>
<context>
    <name>GubaoDialogs</name>
    <message>
        <source>The whole district</source>
        <translation>全区</translation>
    </message>
    <message>
        <source>The street</source>
        <translation>本街道</translation>
    </message>
    <message>
        <source>The community</source>
        <translation>本社区</translation>
    </message>
    <message>
        <source>Street: %1</source>
        <translation>街道：%1</translation>
    </message>
    <message>
        <source>Community: %1</source>
        <translation>社区：%1</translation>
    </message>
</context>
<context>
    <name>GubaoView</name>
    <message>
        <source>Knowledge base</source>
        <translation>民生问答</translation>
    </message>
    <message>
        <source>Announcements</source>
        <translation>群公告</translation>
    </message>
    <message>
        <source>Alert rules</source>
        <translation>智慧告警</translation>
    </message>
    <message>
        <source>Service catalogue</source>
        <translation>便民服务目录</translation>
    </message>
    <message>
        <source>District</source>
        <translation>全区</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>本街道</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>本社区</translation>
    </message>
    <message>
        <source>Retired</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>From %1</source>
        <translation>%1 起</translation>
    </message>
    <message>
        <source>Until %1</source>
        <translation>至 %1</translation>
    </message>
    <message>
        <source>In force</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活动预告</translation>
    </message>
    <message>
        <source>Holiday greeting</source>
        <translation>节日问候</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>新人欢迎</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%2 · asked %n time(s))</source>
        <translation>
            <numerusform>%1（%2 · 问过 %n 次）</numerusform>
        </translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>待发送</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Every week</source>
        <translation>每周</translation>
    </message>
    <message>
        <source>Every holiday</source>
        <translation>每个节日</translation>
    </message>
    <message>
        <source>Every date</source>
        <translation>全部日期</translation>
    </message>
    <message>
        <source>On %1</source>
        <translation>%1</translation>
    </message>
    <message>
        <source>%1: none yet</source>
        <translation>%1：尚未设置</translation>
    </message>
    <message>
        <source> (a draft: newcomers get it once it is scheduled)</source>
        <translation>（草稿：排期发送后才欢迎新成员）</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>Watch</source>
        <translation>关注</translation>
    </message>
    <message>
        <source>%1 (with %2)</source>
        <translation>%1（且含 %2）</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>On</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Open urgent alerts: %1</source>
        <translation>未处理的紧急告警：%1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>No urgent alert is open.</source>
        <translation>没有未处理的紧急告警。</translation>
    </message>
    <message>
        <source>Set for the street or the whole district: only they can change it. You change your community&apos;s own.</source>
        <translation>这是街道或全区设置的，只有他们能修改；您可修改本社区自己的。</translation>
    </message>
    <message>
        <source>Set for the whole district or another street: only they can change it.</source>
        <translation>这是全区或其他街道设置的，只有他们能修改。</translation>
    </message>
    <message>
        <source>Clerks, supervisors and administrators change these.</source>
        <translation>由社区办事员、督导和管理员修改。</translation>
    </message>
    <message>
        <source>Choose an entry in the table first.</source>
        <translation>请先在表格中选择一个条目。</translation>
    </message>
    <message>
        <source>Bring back</source>
        <translation>恢复使用</translation>
    </message>
    <message>
        <source>Retire</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Choose a rule in the table first.</source>
        <translation>请先在表格中选择一条规则。</translation>
    </message>
    <message>
        <source>Turn on</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Turn off</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Choose a service in the table first.</source>
        <translation>请先在表格中选择一项服务。</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>排期发送</translation>
    </message>
    <message>
        <source>Ask for approval</source>
        <translation>提交审批</translation>
    </message>
    <message>
        <source>Choose an announcement in the table first.</source>
        <translation>请先在表格中选择一条公告。</translation>
    </message>
    <message>
        <source>It goes to groups beyond your grids: a clerk changes it.</source>
        <translation>它发往您网格以外的群，由社区办事员修改。</translation>
    </message>
    <message>
        <source>%1: it can no longer be changed.</source>
        <translation>%1：不能再修改。</translation>
    </message>
    <message>
        <source>%1: only a clerk changes it now.</source>
        <translation>%1：现在只有社区办事员能修改。</translation>
    </message>
    <message>
        <source>%1: only a draft is scheduled.</source>
        <translation>%1：只有草稿才能排期发送。</translation>
    </message>
    <message>
        <source>%1: only a draft is sent for approval.</source>
        <translation>%1：只有草稿才能提交审批。</translation>
    </message>
    <message>
        <source>%1: only one awaiting approval is approved.</source>
        <translation>%1：只有待审批的才能批准。</translation>
    </message>
    <message>
        <source>%1: it can no longer be cancelled.</source>
        <translation>%1：不能再取消。</translation>
    </message>
    <message>
        <source>Sent %1 to %2 groups</source>
        <translation>%1 已发往 %2 个群</translation>
    </message>
    <message>
        <source>Sent %1</source>
        <translation>%1 已发送</translation>
    </message>
    <message>
        <source>Not sent yet.</source>
        <translation>尚未发送。</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Gubao would not answer: the message goes to the inbox.</source>
        <translation>鼓宝不会回答：这条消息会转到诉求收件箱。</translation>
    </message>
    <message>
        <source>Closest: “%1” (score %2, below the threshold)</source>
        <translation>最接近的是“%1”（得分 %2，未达到回答标准）</translation>
    </message>
    <message>
        <source>Found the keyword “%1”; score %2</source>
        <translation>命中关键词“%1”，得分 %2</translation>
    </message>
    <message>
        <source>Knowledge entry</source>
        <translation>民生问答</translation>
    </message>
    <message numerus="yes">
        <source>Would have fired %n time(s) in the last 30 days</source>
        <translation>
            <numerusform>近30天内会触发 %n 次</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message numerus="yes">
        <source>%1 (asked %n time(s))</source>
        <translation>
            <numerusform>%1（问过 %n 次）</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” marked as not needing an answer.</source>
        <translation>已将“%1”标为无需回答。</translation>
    </message>
    <message>
        <source>Welcome to %1</source>
        <translation>欢迎加入%1</translation>
    </message>
    <message>
        <source>You have no groups to post an announcement to.</source>
        <translation>您没有可以发公告的群。</translation>
    </message>
    <message>
        <source>An announcement goes to groups of one community.</source>
        <translation>一条公告只能发往同一个社区的群。</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>created</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>read sensitive fields</source>
        <translation>查看敏感字段</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>password reset</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>password changed</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>grids set</source>
        <translation>分配网格</translation>
    </message>
    <message>
        <source>community set</source>
        <translation>调整社区</translation>
    </message>
    <message>
        <source>device revoked</source>
        <translation>撤销设备</translation>
    </message>
    <message>
        <source>signed in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>group mapped</source>
        <translation>群对应网格</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Reading the history from the server…</source>
        <translation>正在从服务器读取历史…</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>After</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>The history is read from the server: connect first.</source>
        <translation>历史记录需从服务器读取：请先联网。</translation>
    </message>
    <message>
        <source>No history yet.</source>
        <translation>暂无历史记录。</translation>
    </message>
</context>
<context>
    <name>HouseholdAnswersDialog</name>
    <message>
        <source>Enter a household&apos;s answers</source>
        <translation>录入住户答卷</translation>
    </message>
    <message>
        <source>“%1”: the answers a household gave you on a visit or by phone. They are kept on this computer and sent with the next sync; answering again replaces the earlier answers.</source>
        <translation>“%1”：住户在走访或电话中给出的回答。答卷先保存在本机，下次同步时发送；同一住户再次作答将替换之前的回答。</translation>
    </message>
    <message>
        <source>Keep the answers</source>
        <translation>保存答卷</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>How</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>(no answer)</source>
        <translation>（未答）</translation>
    </message>
    <message>
        <source>Choose the household from the list.</source>
        <translation>请从列表中选择住户。</translation>
    </message>
    <message>
        <source>Please answer question(s) %1.</source>
        <translation>请回答第 %1 题。</translation>
    </message>
</context>
<context>
    <name>HouseholdDetail</name>
    <message>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Choose a household</source>
        <translation>请选择一户</translation>
    </message>
    <message>
        <source>Its details and residents appear here. Press Enter in the list to come here, Ctrl+E to edit.</source>
        <translation>这里显示该户的信息和居民。在列表中按回车键来到这里，按 Ctrl+E 编辑。</translation>
    </message>
    <message>
        <source>Edit household</source>
        <translation>编辑住户</translation>
    </message>
    <message>
        <source>Edit the household (Ctrl+E)</source>
        <translation>编辑住户信息（Ctrl+E）</translation>
    </message>
    <message>
        <source>Every change to this household</source>
        <translation>此住户的每一次修改</translation>
    </message>
    <message>
        <source>Add resident</source>
        <translation>添加居民</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Moved out</source>
        <translation>已迁出</translation>
    </message>
    <message>
        <source>Mark the resident as moved out</source>
        <translation>将该居民标记为已迁出</translation>
    </message>
    <message>
        <source>Deceased</source>
        <translation>已故</translation>
    </message>
    <message>
        <source>Mark the resident as deceased</source>
        <translation>将该居民标记为已故</translation>
    </message>
    <message numerus="yes">
        <source>as its care tags say: every %n day(s)</source>
        <translation>
            <numerusform>按关怀标签：每 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Every change to this resident</source>
        <translation>此居民的每一次修改</translation>
    </message>
    <message>
        <source>This household is no longer here</source>
        <translation>这一户已不在这里</translation>
    </message>
    <message>
        <source>It was removed, or it is no longer in your area. The list is up to date.</source>
        <translation>它已被删除，或已不在您的负责范围内。列表已是最新。</translation>
    </message>
    <message numerus="yes">
        <source>every %n day(s)</source>
        <translation>
            <numerusform>每 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>Residents (%1)</source>
        <translation>居民（%1）</translation>
    </message>
    <message>
        <source>The household could not be read</source>
        <translation>无法读取这一户</translation>
    </message>
    <message>
        <source>no address</source>
        <translation>无地址</translation>
    </message>
</context>
<context>
    <name>HouseholdHistory</name>
    <message>
        <source>Double-click a visit to read it</source>
        <translation>双击一条走访记录即可查看</translation>
    </message>
    <message>
        <source>New visit…</source>
        <translation>新建走访…</translation>
    </message>
    <message>
        <source>Record a visit to this household, today or one made earlier</source>
        <translation>为本户记录一次走访（今天的，或之前已做的）</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>走访记录</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>(not sent yet)</source>
        <translation>（尚未上传）</translation>
    </message>
    <message>
        <source>follow-up needed</source>
        <translation>需要跟进</translation>
    </message>
    <message>
        <source>+%1 photos</source>
        <translation>另有 %1 张照片</translation>
    </message>
    <message>
        <source>No visits yet.</source>
        <translation>还没有走访记录。</translation>
    </message>
    <message>
        <source>open</source>
        <translation>办理中</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>(from a visit)</source>
        <translation>（走访中发现）</translation>
    </message>
    <message>
        <source>No tickets.</source>
        <translation>没有工单。</translation>
    </message>
    <message>
        <source>Visits (%1)</source>
        <translation>走访记录（%1）</translation>
    </message>
    <message>
        <source>Tickets (%1)</source>
        <translation>工单（%1）</translation>
    </message>
</context>
<context>
    <name>HouseholdTableModel</name>
    <message>
        <source>Head</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Care tags</source>
        <translation>关怀标签</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>上次走访</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Found by %1, who lives here</source>
        <translation>通过同住的 %1 找到</translation>
    </message>
    <message>
        <source>Resident: %1</source>
        <translation>居民：%1</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
</context>
<context>
    <name>HouseholdsView</name>
    <message>
        <source>Households</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Name, pinyin initials (zs), address or phone</source>
        <translation>姓名、拼音首字母（zs）、地址或电话</translation>
    </message>
    <message>
        <source>Search households (Ctrl+F)</source>
        <translation>搜索住户（Ctrl+F）</translation>
    </message>
    <message numerus="yes">
        <source>%n found</source>
        <translation>
            <numerusform>找到 %n 户</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n household(s)</source>
        <translation>
            <numerusform>共 %n 户</numerusform>
        </translation>
    </message>
    <message>
        <source>Search is being prepared</source>
        <translation>搜索正在准备中</translation>
    </message>
    <message numerus="yes">
        <source>%n household(s) so far, by name</source>
        <translation>
            <numerusform>目前 %n 户（按姓名排列）</numerusform>
        </translation>
    </message>
    <message>
        <source>%1+ found</source>
        <translation>找到 %1+ 户</translation>
    </message>
    <message>
        <source>%1+ households</source>
        <translation>共 %1+ 户</translation>
    </message>
    <message>
        <source>%1+ households so far, by name</source>
        <translation>目前 %1+ 户（按姓名排列）</translation>
    </message>
    <message>
        <source>Search is ready when the first sync ends</source>
        <translation>首次同步完成后即可搜索</translation>
    </message>
    <message>
        <source>Search and the visit filters work once the first sync ends. Meanwhile an empty search box lists the households here so far.</source>
        <translation>首次同步完成后即可搜索和按走访状态筛选。在此之前，清空搜索框即可看到已下载的住户。</translation>
    </message>
    <message>
        <source>No household matches “%1”</source>
        <translation>没有与“%1”相符的住户</translation>
    </message>
    <message>
        <source>Try part of the name, the pinyin initials (zs for 张三), part of the address (3栋) or a phone number.</source>
        <translation>可以试试姓名的一部分、拼音首字母（zs 即张三）、部分地址（3栋）或电话号码。</translation>
    </message>
    <message>
        <source>No households yet</source>
        <translation>还没有住户</translation>
    </message>
    <message>
        <source>The households of your area arrive with the first sync. You can keep this window open meanwhile.</source>
        <translation>您负责范围内的住户会在第一次同步时到达，期间可以保持窗口打开。</translation>
    </message>
    <message>
        <source>Change a resident&apos;s status</source>
        <translation>更改居民状态</translation>
    </message>
    <message>
        <source>Mark %1 as “%2”?</source>
        <translation>将 %1 标记为“%2”？</translation>
    </message>
    <message>
        <source>The resident stays on record; the change is sent with the next sync.</source>
        <translation>居民记录会保留；这一更改将随下次同步发送。</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>更改</translation>
    </message>
</context>
<context>
    <name>InboxTableModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>群</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>发送人</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Keyword</source>
        <translation>关键词</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Your step is not sent yet</source>
        <translation>您的处理尚未发送</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>InboxView</name>
    <message>
        <source>Mark all as read</source>
        <translation>全部标为已读</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>群</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>诉求箱</translation>
    </message>
    <message>
        <source>To handle</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>已处理</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Find in messages, senders, groups (Ctrl+F)</source>
        <translation>搜索消息、发送人、群（Ctrl+F）</translation>
    </message>
    <message>
        <source>WeChat groups not assigned to a grid yet: their messages wait there</source>
        <translation>尚未归属网格的微信群：其消息在此等待分派</translation>
    </message>
    <message>
        <source>Nothing to handle</source>
        <translation>没有待处理的诉求</translation>
    </message>
    <message>
        <source>Ctrl/Shift-click to choose several messages · J / K: next / previous · T: make a ticket · L: link · D: dismiss · R: reply</source>
        <translation>Ctrl/Shift 点击可多选 · J / K：下一条 / 上一条 · T：转为工单 · L：关联工单 · D：忽略 · R：回复</translation>
    </message>
    <message>
        <source>No message chosen</source>
        <translation>未选择消息</translation>
    </message>
    <message>
        <source>Choose a message to read it whole and decide what to do with it.</source>
        <translation>选择一条消息，查看全文并决定如何处理。</translation>
    </message>
    <message>
        <source>Open the ticket</source>
        <translation>打开工单</translation>
    </message>
    <message>
        <source>Make a ticket</source>
        <translation>转为工单</translation>
    </message>
    <message>
        <source>Link to a ticket</source>
        <translation>关联工单</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>忽略</translation>
    </message>
    <message>
        <source>Undo the dismissal</source>
        <translation>撤销忽略</translation>
    </message>
    <message>
        <source>%1 WeChat groups not assigned to a grid yet, %2 messages waiting</source>
        <translation>%1 个微信群尚未归属网格，%2 条消息等待分派</translation>
    </message>
    <message>
        <source>All groups</source>
        <translation>全部群</translation>
    </message>
    <message>
        <source>%1 · %2 to handle, %3 in all</source>
        <translation>%1 · 待处理 %2 条，共 %3 条</translation>
    </message>
    <message>
        <source>No messages match your search</source>
        <translation>没有符合搜索条件的消息</translation>
    </message>
    <message>
        <source>Try fewer or other words.</source>
        <translation>请减少或换用其他关键词。</translation>
    </message>
    <message>
        <source>Every request from the groups has been handled. New ones appear here after each sync.</source>
        <translation>群里的诉求都已处理。每次同步后，新的诉求会出现在这里。</translation>
    </message>
    <message>
        <source>No messages here</source>
        <translation>这里没有消息</translation>
    </message>
    <message numerus="yes">
        <source>%n messages chosen; the steps apply to each.</source>
        <translation>
            <numerusform>已选择 %n 条消息，操作将逐条执行。</numerusform>
        </translation>
    </message>
    <message>
        <source>From %1</source>
        <translation>发送人 %1</translation>
    </message>
    <message>
        <source>Grid %1</source>
        <translation>网格 %1</translation>
    </message>
    <message>
        <source>Unassigned (%1)</source>
        <translation>未归属的群 (%1)</translation>
    </message>
    <message>
        <source>Keyword “%1”</source>
        <translation>关键词“%1”</translation>
    </message>
    <message>
        <source>Ticket %1</source>
        <translation>工单 %1</translation>
    </message>
    <message>
        <source>Dismissed: %1</source>
        <translation>已忽略：%1</translation>
    </message>
    <message>
        <source>Your step is not sent yet; it goes with the next sync.</source>
        <translation>您的处理尚未发送，将随下次同步发出。</translation>
    </message>
    <message numerus="yes">
        <source>%n replies</source>
        <translation>
            <numerusform>%n 条回复</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose a message first.</source>
        <translation>请先选择消息。</translation>
    </message>
    <message>
        <source>Only a dismissed message can be put back.</source>
        <translation>只有已忽略的消息可以撤销忽略。</translation>
    </message>
    <message>
        <source>A dismissal can be undone only on the day it was made.</source>
        <translation>忽略只能在当天撤销。</translation>
    </message>
    <message>
        <source>Reply to one message at a time.</source>
        <translation>每次只能回复一条消息。</translation>
    </message>
    <message>
        <source>Not possible for a message that is “%1”.</source>
        <translation>消息状态为“%1”，不能这样处理。</translation>
    </message>
    <message>
        <source>%1 (%2 of %3 done)</source>
        <translation>%1（已完成 %2/%3）</translation>
    </message>
</context>
<context>
    <name>KnowledgePage</name>
    <message>
        <source>Find a question, answer or keyword</source>
        <translation>搜索问题、答复或关键词</translation>
    </message>
    <message>
        <source>New entry</source>
        <translation>新建问答</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Keywords</source>
        <translation>关键词</translation>
    </message>
    <message>
        <source>Hits</source>
        <translation>命中次数</translation>
    </message>
    <message>
        <source>Applies to</source>
        <translation>适用范围</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效期</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Retire</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Questions Gubao could not answer</source>
        <translation>鼓宝没答上的问题</translation>
    </message>
    <message>
        <source>Write an answer…</source>
        <translation>写成问答…</translation>
    </message>
    <message>
        <source>Not useful</source>
        <translation>无需回答</translation>
    </message>
    <message>
        <source>Take the question off the list without an answer</source>
        <translation>不写答案，把这个问题移出列表</translation>
    </message>
    <message>
        <source>Test the bot</source>
        <translation>试问鼓宝</translation>
    </message>
    <message>
        <source>Type a question as a resident would</source>
        <translation>像居民那样输入一个问题</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>问一问</translation>
    </message>
    <message>
        <source>Type a question first.</source>
        <translation>请先输入一个问题。</translation>
    </message>
</context>
<context>
    <name>LinkDialog</name>
    <message>
        <source>Link to a ticket</source>
        <translation>关联工单</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) report a problem that a ticket already tracks; they are linked to it and leave the inbox.</source>
        <translation>
            <numerusform>%n 条消息反映的问题已有工单在办，关联后移出诉求箱。</numerusform>
        </translation>
    </message>
    <message>
        <source>Link</source>
        <translation>关联</translation>
    </message>
    <message>
        <source>Choose the ticket.</source>
        <translation>请选择工单。</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>The window was locked after a while without use. Enter the password of %1 to go on.</source>
        <translation>窗口因一段时间无操作已锁定。请输入 %1 的密码继续。</translation>
    </message>
    <message>
        <source>The window was locked after a while without use. This computer keeps no password check for %1: sign out and sign in again to go on; your edits are kept.</source>
        <translation>窗口因一段时间无操作已锁定。本机没有保存 %1 的密码校验信息：请退出后重新登录继续；您的修改会保留。</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message numerus="yes">
        <source>That is not the password. %n more wrong try(s) sign out.</source>
        <translation>
            <numerusform>密码不正确。再输错 %n 次将退出登录。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in to Gulou e-Home</source>
        <translation>登录鼓楼e家</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Use the account your community office gave you. You sign in once; after that the app also works without a network.</source>
        <translation>请使用社区为您开通的账号。登录一次之后，没有网络也能正常使用。</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Remember me on this computer</source>
        <translation>在这台电脑上记住我</translation>
    </message>
    <message>
        <source>This computer has no secure key store: you will be asked for your password each time the app starts.</source>
        <translation>这台电脑没有安全的密钥存储：每次启动时都需要输入密码。</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Repeat it</source>
        <translation>再输入一次</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Enter the server address.</source>
        <translation>请输入服务器地址。</translation>
    </message>
    <message>
        <source>The server address starts with https://</source>
        <translation>服务器地址应以 https:// 开头</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>Your administrator gave you a one-time password. Choose your own to continue.</source>
        <translation>管理员给您的是一次性密码。请设置您自己的密码后继续。</translation>
    </message>
    <message>
        <source>Choose your own password</source>
        <translation>设置您自己的密码</translation>
    </message>
    <message>
        <source>At least 8 characters, and the same twice.</source>
        <translation>至少 8 个字符，且两次输入一致。</translation>
    </message>
    <message>
        <source>Choose a password other than the one-time password.</source>
        <translation>请设置与一次性密码不同的密码。</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the network and the server address, then try again.</source>
        <translation>无法连接服务器。请检查网络和服务器地址后重试。</translation>
    </message>
    <message>
        <source>The user name or password is not right.</source>
        <translation>用户名或密码不正确。</translation>
    </message>
    <message>
        <source>This account may not sign in to the desk client. Ask your administrator.</source>
        <translation>该账号无权登录桌面客户端，请联系管理员。</translation>
    </message>
    <message>
        <source>That address does not look like a Gulou e-Home server.</source>
        <translation>该地址似乎不是鼓楼e家的服务器。</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Send your edits and fetch the latest (Ctrl+R, F5)</source>
        <translation>上传您的修改并获取最新数据（Ctrl+R、F5）</translation>
    </message>
    <message>
        <source>Gulou e-Home Desk</source>
        <translation>鼓楼e家 · 桌面版</translation>
    </message>
    <message>
        <source>%1 (demo)</source>
        <translation>%1（演示）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>Gulou e-Home</source>
        <translation>鼓楼e家</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) wait for your decision</source>
        <translation>
            <numerusform>有 %n 项修改等待您处理</numerusform>
        </translation>
    </message>
    <message>
        <source>The screen to compare your value with the server&apos;s and choose one is coming here. Until then your edits are kept safely on this computer.</source>
        <translation>这里将提供对比您的修改与服务器数据并选择保留哪一个的界面。在此之前，您的修改都安全地保存在这台电脑上。</translation>
    </message>
</context>
<context>
    <name>MeetingDialog</name>
    <message>
        <source>Record a meeting</source>
        <translation>记录协商会</translation>
    </message>
    <message>
        <source>The meeting on “%1”: its votes are added to what residents said online, so the decision shows both.</source>
        <translation>关于“%1”的线下协商会：现场表决计入线上意见，决定同时体现线上线下。</translation>
    </message>
    <message>
        <source>Keep the meeting</source>
        <translation>保存协商会</translation>
    </message>
    <message>
        <source>Held</source>
        <translation>召开时间</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Attendees</source>
        <translation>参会人员</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>会议纪要</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Votes in the room</source>
        <translation>现场表决</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Colleague</source>
        <translation>选择工作人员</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Name (else the head of the household)</source>
        <translation>姓名（不填即户主）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Company and name</source>
        <translation>公司及姓名</translation>
    </message>
    <message>
        <source>Organisation and name</source>
        <translation>单位及姓名</translation>
    </message>
    <message>
        <source>Choose the household from the list.</source>
        <translation>请从列表中选择住户。</translation>
    </message>
    <message>
        <source>Choose the colleague from the list.</source>
        <translation>请从列表中选择工作人员。</translation>
    </message>
    <message>
        <source>Who came? Give a name.</source>
        <translation>请填写参会人姓名。</translation>
    </message>
    <message>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>Add photos</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Pictures (*.jpg *.jpeg *.png *.webp);;All files (*)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.webp);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Remove this photo from the meeting</source>
        <translation>从会议记录中移除这张照片</translation>
    </message>
    <message>
        <source>For</source>
        <translation>赞成</translation>
    </message>
    <message>
        <source>Against</source>
        <translation>反对</translation>
    </message>
    <message>
        <source>Abstain</source>
        <translation>弃权</translation>
    </message>
    <message>
        <source>Option %1</source>
        <translation>方案%1</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Merge a duplicate</source>
        <translation>合并重复工单</translation>
    </message>
    <message>
        <source>This ticket reports the same problem as another one. Choose the ticket that stays (the survivor): this one is marked merged and its messages move there. The survivor keeps the earlier deadline. You can split it back out later.</source>
        <translation>本工单与另一张工单反映的是同一问题。请选择保留的工单：本工单标记为已合并，其居民消息移到保留的工单，保留的工单取两者中较早的办理时限。之后仍可拆分出来。</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Choose the ticket to merge into.</source>
        <translation>请选择要合并到的工单。</translation>
    </message>
</context>
<context>
    <name>MessageText</name>
    <message>
        <source>%1 of %2 bytes (one group message)</source>
        <translation>%1 / %2 字节（一条群消息）</translation>
    </message>
</context>
<context>
    <name>MonthlyRecordsView</name>
    <message>
        <source>The month to show</source>
        <translation>要查看的月份</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出到 Excel…</translation>
    </message>
    <message>
        <source>The month&apos;s records as a workbook (Ctrl+E)</source>
        <translation>将本月考核导出为 Excel 工作簿（Ctrl+E）</translation>
    </message>
    <message>
        <source>Monthly records</source>
        <translation>月度考核</translation>
    </message>
    <message>
        <source>No records for this month</source>
        <translation>本月没有考核记录</translation>
    </message>
    <message>
        <source>The server computes each social worker&apos;s record during the month; they appear here after the next sync.</source>
        <translation>服务器会在月内为每位社工计算考核记录，下次同步后显示在这里。</translation>
    </message>
    <message>
        <source>Export the month&apos;s records to Excel</source>
        <translation>将本月考核导出到 Excel</translation>
    </message>
    <message>
        <source>performance-%1.xlsx</source>
        <translation>绩效考核-%1.xlsx</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>MyPerformanceView</name>
    <message>
        <source>My performance</source>
        <translation>我的绩效</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出到 Excel…</translation>
    </message>
    <message>
        <source>Your monthly records as a workbook (Ctrl+E)</source>
        <translation>将您的月度考核导出为 Excel 工作簿（Ctrl+E）</translation>
    </message>
    <message>
        <source>Live preview</source>
        <translation>实时预览</translation>
    </message>
    <message>
        <source>Suggested score %1 · up to %2</source>
        <translation>建议得分 %1 · 截至 %2</translation>
    </message>
    <message>
        <source>No performance records yet</source>
        <translation>还没有绩效考核记录</translation>
    </message>
    <message>
        <source>Your monthly records appear here once the server has computed them.</source>
        <translation>服务器计算出您的月度考核后，会显示在这里。</translation>
    </message>
    <message>
        <source>The server computes each month&apos;s record from your synced visits and tickets.</source>
        <translation>服务器根据您已同步的走访和工单计算每月的考核。</translation>
    </message>
    <message>
        <source>Waiting to be sent</source>
        <translation>等待发送</translation>
    </message>
    <message>
        <source>Score %1</source>
        <translation>得分 %1</translation>
    </message>
    <message>
        <source>Suggested score %1</source>
        <translation>建议得分 %1</translation>
    </message>
    <message>
        <source>Export your records to Excel</source>
        <translation>将您的考核导出到 Excel</translation>
    </message>
    <message>
        <source>performance.xlsx</source>
        <translation>绩效考核.xlsx</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <source>Workbench</source>
        <translation>工作台</translation>
    </message>
    <message>
        <source>Your day at a glance</source>
        <translation>今日工作一览</translation>
    </message>
    <message>
        <source>Visits due today, overdue households and your open tickets will be gathered here, so you know where to go first.</source>
        <translation>今天到期的走访、走访超时的住户和您手上未办结的工单都会汇集在这里，让您一眼知道先去哪里。</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Households and residents</source>
        <translation>住户与居民</translation>
    </message>
    <message>
        <source>Find a household by the head&apos;s name, pinyin initials or address, and see its residents, visits and tickets here.</source>
        <translation>在这里可按户主姓名、拼音首字母或地址查找住户，并查看其居民、走访记录和工单。</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <source>Home visits</source>
        <translation>入户走访</translation>
    </message>
    <message>
        <source>Fill in visit forms here, also without a network; drafts are kept and sent when you are back online.</source>
        <translation>在这里填写走访表单，没有网络也可以；草稿会自动保存，联网后再上传。</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>诉求收件箱</translation>
    </message>
    <message>
        <source>Residents&apos; requests</source>
        <translation>居民诉求</translation>
    </message>
    <message>
        <source>Requests that Gu Bao forwards from the grid WeChat groups, and walk-in, phone and 12345 hotline requests, will arrive here to be turned into tickets, linked, answered or dismissed.</source>
        <translation>鼓宝从网格微信群转来的诉求，以及来访、来电和 12345 热线诉求，都会汇集到这里，可转为工单、关联已有工单、直接答复或忽略。</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Open, assign and follow tickets from the first report to the follow-up call; overdue tickets are marked and escalated.</source>
        <translation>在这里新建、派发并跟踪工单，从受理一直到回访；超时工单会被标出并督办。</translation>
    </message>
    <message>
        <source>Participation</source>
        <translation>居民参与</translation>
    </message>
    <message>
        <source>Resident participation</source>
        <translation>居民参与</translation>
    </message>
    <message>
        <source>Questionnaires, consultations and volunteer activities that residents take part in from their WeChat groups.</source>
        <translation>居民在网格微信群里参与的民主问卷、民主协商和志愿服务活动。</translation>
    </message>
    <message>
        <source>Gubao bot</source>
        <translation>鼓宝</translation>
    </message>
    <message>
        <source>The Gubao bot</source>
        <translation>鼓宝群助手</translation>
    </message>
    <message>
        <source>What the group bot answers, announces and alerts on: the knowledge base, the service catalogue, announcements and alert rules.</source>
        <translation>群助手鼓宝回答什么、发什么公告、对什么告警：民生问答、便民服务目录、群公告和智慧告警规则。</translation>
    </message>
    <message>
        <source>Performance</source>
        <translation>绩效考核</translation>
    </message>
    <message>
        <source>Monthly performance</source>
        <translation>月度绩效</translation>
    </message>
    <message>
        <source>Monthly figures, self-assessments, submissions and approvals of performance records will be shown here.</source>
        <translation>每月的绩效数据、自评、提交与审核情况都将显示在这里。</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>管理</translation>
    </message>
    <message>
        <source>Staff, covers and groups</source>
        <translation>人员、顶岗与微信群</translation>
    </message>
    <message>
        <source>Add and disable staff, reset passwords, place workers in grids, arrange covers, map WeChat groups and read the audit log here.</source>
        <translation>在这里新增、停用人员，重置密码，为社工分配网格，安排临时顶岗，把微信群对应到网格，并查看审计日志。</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>冲突处理</translation>
    </message>
    <message>
        <source>No conflicts</source>
        <translation>没有待处理的冲突</translation>
    </message>
    <message>
        <source>When someone else changed the same record, or the server did not accept an edit, you will choose here which value to keep. Nothing is lost.</source>
        <translation>当别人同时修改了同一条记录，或服务器未接受某项修改时，您可以在这里选择保留哪个值。任何修改都不会丢失。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Social worker</source>
        <translation>社工</translation>
    </message>
    <message>
        <source>Community clerk</source>
        <translation>社区办事员</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
</context>
<context>
    <name>NewActivityDialog</name>
    <message>
        <source>New volunteer activity</source>
        <translation>新建志愿活动</translation>
    </message>
    <message>
        <source>Kept as a draft until you publish it; residents then sign up in their groups by replying “报名” and its code.</source>
        <translation>发布前保存为草稿；发布后居民在群里回复“报名”和活动编号即可报名。</translation>
    </message>
    <message>
        <source>Create activity</source>
        <translation>创建活动</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Volunteers needed</source>
        <translation>需要人数</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>发送到</translation>
    </message>
    <message>
        <source>Give the activity a name.</source>
        <translation>请填写活动名称。</translation>
    </message>
    <message>
        <source>Choose at least one group to post to.</source>
        <translation>请至少选择一个要发送的群。</translation>
    </message>
</context>
<context>
    <name>NewConsultationDialog</name>
    <message>
        <source>New topic</source>
        <translation>新建议题</translation>
    </message>
    <message>
        <source>Start from a template. Residents reply in their groups with its code (支持 / 反对 / 意见) once you post it.</source>
        <translation>从模板开始。发到群里后，居民用议题编号回复（支持 / 反对 / 意见）。</translation>
    </message>
    <message>
        <source>Create topic</source>
        <translation>创建议题</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>议题</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>背景</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>备选方案</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>发送到</translation>
    </message>
    <message>
        <source>Support or oppose</source>
        <translation>支持或反对</translation>
    </message>
    <message>
        <source>Give the topic a name.</source>
        <translation>请填写议题名称。</translation>
    </message>
    <message>
        <source>Choose at least one group to post to.</source>
        <translation>请至少选择一个要发送的群。</translation>
    </message>
</context>
<context>
    <name>NewQuestionnaireDialog</name>
    <message>
        <source>New questionnaire</source>
        <translation>新建问卷</translation>
    </message>
    <message>
        <source>Start from a template or from a blank page; you can edit the questions. It is kept as a draft until you publish it, so you can look at it as residents will.</source>
        <translation>可从模板开始，也可从空白开始；问题可以修改。发布前一直是草稿，您可以先看看居民在群里看到的样子。</translation>
    </message>
    <message>
        <source>Create draft</source>
        <translation>创建草稿</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Post the results to the groups when it closes</source>
        <translation>截止后把结果发到群里</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Introduction</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>题目</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>发送到</translation>
    </message>
    <message>
        <source>Open for</source>
        <translation>征集时长</translation>
    </message>
    <message>
        <source>None yet: write them with “Edit questions” once the draft is made.</source>
        <translation>暂无问题：创建草稿后用“编辑问题”编写。</translation>
    </message>
    <message>
        <source>Give it a title.</source>
        <translation>请填写标题。</translation>
    </message>
    <message>
        <source>Choose at least one group to post to.</source>
        <translation>请至少选择一个要发送的群。</translation>
    </message>
</context>
<context>
    <name>NewTicketDialog</name>
    <message>
        <source>New ticket</source>
        <translation>新建工单</translation>
    </message>
    <message>
        <source>For a request made in person, by phone or through the 12345 hotline.</source>
        <translation>用于居民来访、来电或 12345 热线转来的诉求。</translation>
    </message>
    <message>
        <source>Open the ticket</source>
        <translation>建立工单</translation>
    </message>
    <message>
        <source>Name and phone of the resident</source>
        <translation>居民姓名和电话</translation>
    </message>
    <message>
        <source>Head of household, address or phone</source>
        <translation>户主姓名、地址或电话</translation>
    </message>
    <message>
        <source>What the resident reports</source>
        <translation>居民反映的情况</translation>
    </message>
    <message>
        <source>Came in by</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Choose a grid</source>
        <translation>请选择网格</translation>
    </message>
    <message>
        <source>No household (only the grid)</source>
        <translation>不关联住户（只选网格）</translation>
    </message>
    <message>
        <source>Give the ticket a short title.</source>
        <translation>请为工单写一个简短的标题。</translation>
    </message>
    <message>
        <source>Choose the household or the grid the request is about.</source>
        <translation>请选择诉求涉及的住户或网格。</translation>
    </message>
    <message>
        <source>Resident: %1</source>
        <translation>居民：%1</translation>
    </message>
</context>
<context>
    <name>Op</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Please wait</source>
        <translation>请稍候</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>出现问题</translation>
    </message>
    <message>
        <source>Please note</source>
        <translation>请注意</translation>
    </message>
</context>
<context>
    <name>OutboxDialog</name>
    <message>
        <source>Edits to send</source>
        <translation>待发送的修改</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近的错误</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Send this edit again with the next sync</source>
        <translation>下次同步时再次发送这条修改</translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation>放弃…</translation>
    </message>
    <message>
        <source>Give up this edit: it is undone here and never sent</source>
        <translation>放弃这条修改：在本机撤销，不再发送</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Every edit has been sent.</source>
        <translation>所有修改都已发送。</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) could not be sent and are set aside; the others are sent as usual. Retry one when the problem is solved, or discard it.</source>
        <translation>
            <numerusform>有 %n 条修改无法发送，已搁置；其他修改照常发送。问题解决后可重试，或放弃该修改。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) wait to be sent; they go with the next sync.</source>
        <translation>
            <numerusform>有 %n 条修改等待发送，将随下次同步发出。</numerusform>
        </translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Changed: %1</source>
        <translation>修改：%1</translation>
    </message>
    <message>
        <source>Set aside</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <source>Waits behind a set-aside edit</source>
        <translation>排在已搁置的修改之后</translation>
    </message>
    <message>
        <source>Will be sent again</source>
        <translation>将再次发送</translation>
    </message>
    <message>
        <source>Waiting to be sent</source>
        <translation>等待发送</translation>
    </message>
    <message>
        <source>The server could not take it.</source>
        <translation>服务器无法接收这条修改。</translation>
    </message>
    <message>
        <source>The server failed on this edit three times.</source>
        <translation>服务器处理这条修改时连续三次出错。</translation>
    </message>
    <message>
        <source>The last attempt failed.</source>
        <translation>上次发送失败。</translation>
    </message>
    <message>
        <source>Discard this edit?</source>
        <translation>放弃这条修改？</translation>
    </message>
    <message>
        <source>“%1” will be undone on this computer and never sent. This cannot be undone.</source>
        <translation>“%1”将在本机撤销，且不会发送。此操作无法恢复。</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
</context>
<context>
    <name>Participation</name>
    <message>
        <source>no scores yet</source>
        <translation>暂无评分</translation>
    </message>
    <message>
        <source>average %1</source>
        <translation>平均 %1 分</translation>
    </message>
    <message>
        <source>%1 points</source>
        <translation>%1 分</translation>
    </message>
    <message>
        <source>Responses per grid (response rate)</source>
        <translation>各网格回复数（回复率）</translation>
    </message>
    <message>
        <source>Export the results</source>
        <translation>导出问卷结果</translation>
    </message>
    <message>
        <source>Save the announcement</source>
        <translation>保存结果公示</translation>
    </message>
    <message>
        <source>Responses / households in the target grids (response rate)</source>
        <translation>回复数 / 目标网格户数（回复率）</translation>
    </message>
    <message>
        <source>Could not %1: %2</source>
        <translation>未能%1：%2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Tickets: %1</source>
        <translation>工单 %1 件</translation>
    </message>
    <message>
        <source>Option %1</source>
        <translation>选 %1</translation>
    </message>
    <message>
        <source>(given when sent)</source>
        <translation>（同步后生成）</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>收集中</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已截止</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <source>Support %1 · oppose %2 · opinions %3</source>
        <translation>支持 %1 · 反对 %2 · 意见 %3</translation>
    </message>
    <message>
        <source>Responses from my grids / households of my grids among the targets (response rate); the community&apos;s clerk sees the whole community&apos;s</source>
        <translation>我的网格内的回复 / 目标网格中我的网格的户数（回复率）；全社区的数字请看社区办事员的统计</translation>
    </message>
    <message>
        <source>%1 (my grids)</source>
        <translation>%1（我的网格）</translation>
    </message>
    <message>
        <source>support %1 · oppose %2 · opinions %3 · %4 residents took part</source>
        <translation>支持 %1 · 反对 %2 · 意见 %3 · %4 位居民参与</translation>
    </message>
    <message>
        <source>Collecting opinions</source>
        <translation>征集意见</translation>
    </message>
    <message>
        <source>Discussing</source>
        <translation>讨论中</translation>
    </message>
    <message>
        <source>Voting</source>
        <translation>投票中</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>已决定</translation>
    </message>
    <message>
        <source>Announced</source>
        <translation>已公示</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>Open for sign-up</source>
        <translation>报名中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>WeChat group</source>
        <translation>微信群</translation>
    </message>
    <message>
        <source>Home visit</source>
        <translation>入户走访</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Walk-in</source>
        <translation>来访</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>协商会</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>支持</translation>
    </message>
    <message>
        <source>Oppose</source>
        <translation>反对</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Single choice</source>
        <translation>单选</translation>
    </message>
    <message>
        <source>Multiple choice</source>
        <translation>多选</translation>
    </message>
    <message>
        <source>Score 1–5</source>
        <translation>1–5分评分</translation>
    </message>
    <message>
        <source>Short text</source>
        <translation>简答</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>Property company</source>
        <translation>物业公司</translation>
    </message>
    <message>
        <source>Other party</source>
        <translation>其他单位</translation>
    </message>
    <message>
        <source> (in meetings: for %1 · against %2)</source>
        <translation>（其中会上：赞成 %1 · 反对 %2）</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 %2 (%3 in meetings)</source>
        <translation>%1 %2（其中会上 %3）</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>Blank: write your own questions</source>
        <translation>空白问卷（自己编写问题）</translation>
    </message>
    <message>
        <source>Courtyard renovation</source>
        <translation>庭院改造</translation>
    </message>
    <message>
        <source>Parking</source>
        <translation>停车管理</translation>
    </message>
    <message>
        <source>Elevator installation</source>
        <translation>加装电梯</translation>
    </message>
    <message>
        <source>Satisfaction survey</source>
        <translation>满意度调查</translation>
    </message>
    <message>
        <source>publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>close</source>
        <translation>截止</translation>
    </message>
    <message>
        <source>archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>open the discussion</source>
        <translation>进入讨论</translation>
    </message>
    <message>
        <source>open the vote</source>
        <translation>开始投票</translation>
    </message>
    <message>
        <source>record the decision</source>
        <translation>形成决定</translation>
    </message>
    <message>
        <source>announce</source>
        <translation>公示</translation>
    </message>
    <message>
        <source>re-post the announcement</source>
        <translation>再次公示</translation>
    </message>
    <message>
        <source>create a ticket</source>
        <translation>创建工单</translation>
    </message>
    <message>
        <source>create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>keep the answers</source>
        <translation>保存答卷</translation>
    </message>
    <message>
        <source>save the questions</source>
        <translation>保存问题</translation>
    </message>
    <message>
        <source>for</source>
        <translation>赞成</translation>
    </message>
    <message>
        <source>against</source>
        <translation>反对</translation>
    </message>
    <message>
        <source>abstain</source>
        <translation>弃权</translation>
    </message>
</context>
<context>
    <name>ParticipationView</name>
    <message>
        <source>Questionnaires</source>
        <translation>民主问卷</translation>
    </message>
    <message>
        <source>Consultations</source>
        <translation>民主协商</translation>
    </message>
    <message>
        <source>Volunteer activities</source>
        <translation>志愿服务</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>参与统计</translation>
    </message>
    <message>
        <source>Record the decision</source>
        <translation>形成决定</translation>
    </message>
    <message>
        <source>What was decided, online and in the meetings; it is posted to the groups when you announce it.</source>
        <translation>线上和协商会上形成的决定；公示时发到群里。</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>决定</translation>
    </message>
    <message>
        <source>Announce the result</source>
        <translation>公示协商结果</translation>
    </message>
    <message>
        <source>The announcement (公示) residents read in their groups, with the progress of the tickets the decision created.</source>
        <translation>居民在群里看到的结果公示，附带决定所产生工单的办理进展。</translation>
    </message>
    <message>
        <source>Announcement</source>
        <translation>公示内容</translation>
    </message>
    <message>
        <source>Thank you all for taking part; the community will carry it out and report the progress here.</source>
        <translation>感谢各位居民的参与，社区将抓紧落实，并在此通报进展。</translation>
    </message>
    <message>
        <source>No questionnaires match your search</source>
        <translation>没有符合搜索的问卷</translation>
    </message>
    <message>
        <source>No questionnaires yet</source>
        <translation>还没有问卷</translation>
    </message>
    <message>
        <source>Try fewer or other words.</source>
        <translation>换个词或少输几个字试试。</translation>
    </message>
    <message>
        <source>Make one from a template with “New questionnaire”.</source>
        <translation>点“新建问卷”从模板创建。</translation>
    </message>
    <message>
        <source>the chosen groups</source>
        <translation>所选的群</translation>
    </message>
    <message>
        <source>Publish the questionnaire</source>
        <translation>发布问卷</translation>
    </message>
    <message>
        <source>Publish “%1”?</source>
        <translation>发布“%1”？</translation>
    </message>
    <message>
        <source>Gubao posts it to %1 (%2 households) and residents can reply at once. Its questions can no longer be changed, and what is posted cannot be taken back.</source>
        <translation>鼓宝会把它发到%1（%2 户），居民即可回复。发布后问题不能再修改，发出的消息也无法撤回。</translation>
    </message>
    <message>
        <source>Publish the volunteer activity</source>
        <translation>发布志愿活动</translation>
    </message>
    <message>
        <source>Gubao posts its recruiting message to the chosen groups; residents sign up by replying. What is posted cannot be taken back.</source>
        <translation>鼓宝会把招募消息发到所选的网格群，居民回复即可报名。发出的消息无法撤回。</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>You have no grids to post a questionnaire to.</source>
        <translation>您没有可以发送问卷的网格。</translation>
    </message>
    <message>
        <source>it has been published: its questions no longer change</source>
        <translation>问卷已发布，问题不能再修改</translation>
    </message>
    <message>
        <source>No household of yours is in the groups it was sent to.</source>
        <translation>问卷发送的网格里没有您负责的住户。</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>Performance</name>
    <message>
        <source>Visits per week against plan</source>
        <translation>每周走访与计划</translation>
    </message>
    <message>
        <source>Tickets opened, by category and status</source>
        <translation>新增工单（按类别和状态）</translation>
    </message>
    <message>
        <source>Open and overdue tickets (end of each week)</source>
        <translation>在办与超时工单（每周末）</translation>
    </message>
    <message>
        <source>Satisfaction of follow-up calls</source>
        <translation>回访满意度</translation>
    </message>
    <message>
        <source>Visits done</source>
        <translation>走访完成</translation>
    </message>
    <message>
        <source>Planned by cadence</source>
        <translation>按走访周期应访</translation>
    </message>
    <message>
        <source>Week starting</source>
        <translation>周起始日</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>走访次数</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>工单数</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>在办</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>End of week</source>
        <translation>周末日期</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Basically satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Average (0–100)</source>
        <translation>平均分（0–100）</translation>
    </message>
    <message>
        <source>Follow-up calls</source>
        <translation>回访次数</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>平均分</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>已提交</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已通过</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>in time</source>
        <translation>按期</translation>
    </message>
    <message>
        <source>on time</source>
        <translation>按时</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 of %2 %3</source>
        <translation>%3 %1 / %2</translation>
    </message>
    <message numerus="yes">
        <source>%n follow-up call(s)</source>
        <translation>
            <numerusform>%n 次回访</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n acceptance(s)</source>
        <translation>
            <numerusform>%n 次签收</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 = 60 + 40 × (%2) ÷ %3, from %4. Parts without data are left out. Only a suggestion: the supervisor decides the score.</source>
        <translation>%1 = 60 + 40 × (%2) ÷ %3，依据%4。无数据的部分不计。仅供参考，得分由审核人决定。</translation>
    </message>
    <message>
        <source>Edited after submission</source>
        <translation>提交后修改</translation>
    </message>
    <message>
        <source>Figures recomputed by the server</source>
        <translation>服务器重新计算了指标</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>已重新打开</translation>
    </message>
    <message>
        <source>submission</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>approval</source>
        <translation>审批通过</translation>
    </message>
    <message>
        <source>return</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>edit of the self-assessment</source>
        <translation>自评修改</translation>
    </message>
    <message>
        <source>reopening</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Someone</source>
        <translation>某人</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>得分 %1</translation>
    </message>
    <message>
        <source>the self-assessment</source>
        <translation>自评</translation>
    </message>
    <message>
        <source>the figures</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>the status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>the score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>the decision comment</source>
        <translation>审核意见</translation>
    </message>
    <message>
        <source>the record</source>
        <translation>考核记录</translation>
    </message>
    <message>
        <source>The server did not accept your %1: the record changed after you read it (%2 changed). It now shows what changed; read it again and decide again.</source>
        <translation>服务器未接受您的%1：在您阅读之后考核记录发生了变化（%2已修改）。下面显示的是修改后的内容，请重新阅读后再审批。</translation>
    </message>
    <message>
        <source>The server did not accept it.</source>
        <translation>服务器未接受。</translation>
    </message>
    <message>
        <source>The server did not accept your %1: %2</source>
        <translation>服务器未接受您的%1：%2</translation>
    </message>
    <message>
        <source>The folder %1 does not exist (any more). Choose another place.</source>
        <translation>文件夹 %1 不存在（或已被删除），请选择其他位置。</translation>
    </message>
    <message>
        <source>The file %1 could not be written: it may be open in another program, the folder may be read-only, or the disk full. Nothing was changed.</source>
        <translation>无法写入文件 %1：文件可能正被其他程序打开、文件夹只读或磁盘已满。未做任何更改。</translation>
    </message>
    <message>
        <source>The file %1 could not be written.</source>
        <translation>无法写入文件 %1。</translation>
    </message>
    <message>
        <source>Monthly performance record</source>
        <translation>月度绩效考核表</translation>
    </message>
    <message>
        <source>Performance record of %1, %2</source>
        <translation>%1 %2 绩效考核</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>考核指标</translation>
    </message>
    <message>
        <source>Figures counted through %1.</source>
        <translation>指标统计截至 %1。</translation>
    </message>
    <message>
        <source>Suggested score</source>
        <translation>建议得分</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Self-assessment</source>
        <translation>自评</translation>
    </message>
    <message>
        <source>No self-assessment was written.</source>
        <translation>未填写自评。</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>审核结果</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation>审核人</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>审核意见</translation>
    </message>
    <message>
        <source>History</source>
        <translation>处理记录</translation>
    </message>
    <message>
        <source>Nothing has happened to this record yet.</source>
        <translation>这份考核还没有任何处理记录。</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Score and comment</source>
        <translation>得分和意见</translation>
    </message>
    <message>
        <source>Printed %1 from Gulou e-Home Desk.</source>
        <translation>%1 打印自鼓楼e家工作台。</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Visited at</source>
        <translation>走访时间</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Head of household</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Care tags</source>
        <translation>关爱标签</translation>
    </message>
    <message>
        <source>Key household</source>
        <translation>重点户</translation>
    </message>
    <message>
        <source>Needs follow-up</source>
        <translation>需跟进</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>未走访</translation>
    </message>
    <message>
        <source>Visit every (days)</source>
        <translation>走访周期（天）</translation>
    </message>
    <message>
        <source>Due on</source>
        <translation>应访日期</translation>
    </message>
    <message>
        <source>Visited on</source>
        <translation>实访日期</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Status now</source>
        <translation>当前状态</translation>
    </message>
    <message>
        <source>Not known</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>按时</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Resolved at</source>
        <translation>办结时间</translation>
    </message>
    <message>
        <source>Due at</source>
        <translation>办理期限</translation>
    </message>
    <message>
        <source>Follow-up call</source>
        <translation>回访时间</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>派单时间</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>签收时间</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>Your decision was refused</source>
        <translation>您的审批未被接受</translation>
    </message>
    <message>
        <source>Resubmitted</source>
        <translation>重新提交</translation>
    </message>
    <message>
        <source>Social worker</source>
        <translation>社工</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Tickets opened</source>
        <translation>新增工单</translation>
    </message>
    <message>
        <source>Overdue at the end</source>
        <translation>期末超时</translation>
    </message>
    <message>
        <source>Filter by name (Ctrl+F)</source>
        <translation>按姓名筛选（Ctrl+F）</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Look in:</source>
        <translation>位置：</translation>
    </message>
    <message>
        <source>File name:</source>
        <translation>文件名：</translation>
    </message>
    <message>
        <source>Files of type:</source>
        <translation>文件类型：</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>PerformanceView</name>
    <message>
        <source>My performance</source>
        <translation>我的绩效</translation>
    </message>
    <message>
        <source>Approval queue</source>
        <translation>审批队列</translation>
    </message>
    <message>
        <source>Monthly records</source>
        <translation>月度考核</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>统计看板</translation>
    </message>
</context>
<context>
    <name>PhotoErrors</name>
    <message>
        <source>The file no longer exists.</source>
        <translation>文件已不存在。</translation>
    </message>
    <message>
        <source>The file cannot be read.</source>
        <translation>无法读取该文件。</translation>
    </message>
    <message>
        <source>The file is too big (more than %1 MB). Choose a smaller picture.</source>
        <translation>文件过大（超过 %1 MB），请选择较小的图片。</translation>
    </message>
    <message>
        <source>This is not a picture: choose a JPEG, PNG or WebP photo.</source>
        <translation>这不是图片：请选择 JPEG、PNG 或 WebP 照片。</translation>
    </message>
    <message>
        <source>The picture is damaged and cannot be opened.</source>
        <translation>图片已损坏，无法打开。</translation>
    </message>
    <message>
        <source>The picture is too large (too many pixels).</source>
        <translation>图片尺寸过大（像素太多）。</translation>
    </message>
    <message>
        <source>The picture is damaged.</source>
        <translation>图片已损坏。</translation>
    </message>
    <message>
        <source>The picture could not be added.</source>
        <translation>无法添加该图片。</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>Preview: %1</source>
        <translation>预览：%1</translation>
    </message>
    <message>
        <source>Try the answers: conditions and checks work as on a visit. Nothing is saved.</source>
        <translation>可试填答案：显示条件和校验与走访时相同。不会保存。</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <source>Please fill this in.</source>
        <translation>请填写此项。</translation>
    </message>
    <message>
        <source>This value has the wrong form.</source>
        <translation>格式不正确。</translation>
    </message>
    <message>
        <source>At most %1 characters.</source>
        <translation>最多 %1 个字。</translation>
    </message>
    <message>
        <source>Choose one of the offered values.</source>
        <translation>请从给出的选项中选择。</translation>
    </message>
    <message>
        <source>Enter a phone number.</source>
        <translation>请输入电话号码。</translation>
    </message>
    <message>
        <source>Not a phone number: enter a mobile (13912345678) or a landline (025-83331234).</source>
        <translation>不是有效的电话号码：请输入手机号（13912345678）或座机号（025-83331234）。</translation>
    </message>
    <message>
        <source>A tag cannot be empty.</source>
        <translation>标签不能为空。</translation>
    </message>
    <message>
        <source>A tag has at most %1 characters.</source>
        <translation>每个标签最多 %1 个字。</translation>
    </message>
    <message>
        <source>This date is in the future.</source>
        <translation>这个日期在将来。</translation>
    </message>
    <message>
        <source>The household was registered on %1: a visit cannot be earlier.</source>
        <translation>该户于 %1 登记，走访时间不能早于该日。</translation>
    </message>
    <message>
        <source>Enter the ID number.</source>
        <translation>请输入身份证号码。</translation>
    </message>
    <message>
        <source>A resident ID number has 18 characters.</source>
        <translation>居民身份证号码为 18 位。</translation>
    </message>
    <message>
        <source>A resident ID number is 17 digits followed by a digit or X.</source>
        <translation>身份证号码由 17 位数字加最后一位数字或 X 组成。</translation>
    </message>
    <message>
        <source>The ID number does not start with a valid region code.</source>
        <translation>身份证号码开头不是有效的地区代码。</translation>
    </message>
    <message>
        <source>The ID number does not contain a valid date of birth.</source>
        <translation>身份证号码中的出生日期无效。</translation>
    </message>
    <message>
        <source>The last character of the ID number does not match the others: please check the number for a typing error.</source>
        <translation>身份证号码的最后一位（校验码）与前面的数字不符：请检查是否输错。</translation>
    </message>
    <message>
        <source>Differs from the date of birth in the ID number (%1).</source>
        <translation>与身份证号码中的出生日期（%1）不一致。</translation>
    </message>
    <message>
        <source>Differs from the gender in the ID number.</source>
        <translation>与身份证号码中的性别不一致。</translation>
    </message>
    <message>
        <source>This cannot be changed here.</source>
        <translation>此项不能在这里修改。</translation>
    </message>
    <message>
        <source>This field is not known to this version.</source>
        <translation>当前版本不认识这个字段。</translation>
    </message>
    <message>
        <source>This record exists already.</source>
        <translation>这条记录已经存在。</translation>
    </message>
    <message>
        <source>The text holds an invisible NUL character (often from a copy and paste); please type it again.</source>
        <translation>文本中含有不可见的 NUL 字符（常见于复制粘贴），请重新输入。</translation>
    </message>
    <message>
        <source>The text holds a broken character (often from a copy and paste); please type it again.</source>
        <translation>文本中含有损坏的字符（常见于复制粘贴），请重新输入。</translation>
    </message>
    <message>
        <source>This edit is too large to send (over 1 MB of text). Please shorten it.</source>
        <translation>这条修改太大，无法发送（文本超过 1 MB），请删减后再保存。</translation>
    </message>
    <message>
        <source>Must be between %1 and %2.</source>
        <translation>应在 %1 到 %2 之间。</translation>
    </message>
    <message>
        <source>Must be at least %1.</source>
        <translation>不能小于 %1。</translation>
    </message>
    <message>
        <source>Must be at most %1.</source>
        <translation>不能大于 %1。</translation>
    </message>
    <message>
        <source>This value is not accepted.</source>
        <translation>这个值无效。</translation>
    </message>
</context>
<context>
    <name>QuestionCard</name>
    <message>
        <source>Must be answered</source>
        <translation>必答</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Remove this question</source>
        <translation>删除这道题</translation>
    </message>
    <message>
        <source>The question, as residents will read it</source>
        <translation>题目（居民看到的文字）</translation>
    </message>
    <message>
        <source>The options, one a line (2 to 10)</source>
        <translation>选项，每行一个（2到10个）</translation>
    </message>
</context>
<context>
    <name>QuestionEditorDialog</name>
    <message>
        <source>Edit the questions</source>
        <translation>编辑问题</translation>
    </message>
    <message>
        <source>Write the questions residents will answer. The preview on the right is the message the groups will get when you publish it; after that the questions no longer change.</source>
        <translation>编写居民要回答的问题。右边的预览就是发布时群里收到的消息；发布后问题不能再修改。</translation>
    </message>
    <message>
        <source>Save the questions</source>
        <translation>保存问题</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Introduction</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>No questions yet: choose a kind and add one.</source>
        <translation>还没有问题：选择题型后点“添加问题”。</translation>
    </message>
    <message>
        <source>Add a question</source>
        <translation>添加问题</translation>
    </message>
    <message>
        <source>Gu Bao (as residents see it)</source>
        <translation>鼓宝（居民看到的样子）</translation>
    </message>
    <message>
        <source>Question %1 needs 2 to 10 options, each a text of at most %2 characters.</source>
        <translation>第%1题需要2到10个选项，每个选项最多%2个字。</translation>
    </message>
    <message>
        <source>Question %1 needs its text.</source>
        <translation>第%1题还没有题目。</translation>
    </message>
    <message>
        <source>At most %1 questions.</source>
        <translation>最多%1道题。</translation>
    </message>
    <message>
        <source>Please check question %1.</source>
        <translation>请检查第%1题。</translation>
    </message>
    <message>
        <source>Give it a title.</source>
        <translation>请填写标题。</translation>
    </message>
    <message>
        <source>Add at least one question.</source>
        <translation>请至少添加一道题。</translation>
    </message>
</context>
<context>
    <name>QuestionnairePane</name>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Post it to the target grids&apos; WeChat groups; residents reply with its code</source>
        <translation>发到目标网格的微信群，居民用问卷编号回复</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>截止收集</translation>
    </message>
    <message>
        <source>Stop taking answers; later replies get a polite refusal</source>
        <translation>不再接收回答，之后的回复会收到礼貌的提示</translation>
    </message>
    <message>
        <source>Enter answers</source>
        <translation>录入答卷</translation>
    </message>
    <message>
        <source>A household&apos;s answers given on a visit or by phone (works offline)</source>
        <translation>录入住户在走访或电话中的回答（离线可用）</translation>
    </message>
    <message>
        <source>Excel</source>
        <translation>导出Excel</translation>
    </message>
    <message>
        <source>Export the results and every response</source>
        <translation>导出结果和每份答复</translation>
    </message>
    <message>
        <source>Notice PDF</source>
        <translation>公示PDF</translation>
    </message>
    <message>
        <source>A one-page announcement (公示) of the result</source>
        <translation>一页纸的结果公示</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>No longer in use; it can still be read</source>
        <translation>不再使用，仍可查看</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>答复人</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>回答</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Gu Bao (as residents see it)</source>
        <translation>鼓宝（居民在群里看到的样子）</translation>
    </message>
    <message>
        <source>WeChat preview</source>
        <translation>群内预览</translation>
    </message>
    <message>
        <source>Responses</source>
        <translation>答复明细</translation>
    </message>
    <message>
        <source>No questionnaire chosen</source>
        <translation>未选择问卷</translation>
    </message>
    <message>
        <source>Choose a questionnaire to see its results, or make a new one from a template.</source>
        <translation>选择一份问卷查看结果，或从模板新建一份。</translation>
    </message>
    <message>
        <source>Edit questions</source>
        <translation>编辑问题</translation>
    </message>
    <message>
        <source>Write or change the questions, with the WeChat preview beside them (drafts only)</source>
        <translation>编写或修改问题，旁边即时显示群内预览（仅草稿）</translation>
    </message>
    <message>
        <source>Code %1 · %2 · responses %3 · closes %4</source>
        <translation>编号 %1 · %2 · 回复 %3 · 截止 %4</translation>
    </message>
    <message>
        <source>Code given on publishing · %1 · responses %2 · closes %3</source>
        <translation>发布后生成编号 · %1 · 回复 %2 · 截止 %3</translation>
    </message>
    <message>
        <source>Not published yet: once it is, the residents&apos; answers are counted here by grid and by question. The charts below show its questions and their options.</source>
        <translation>尚未发布：发布后，居民的回复会按网格和题目统计在这里。下面的图先列出各题及其选项。</translation>
    </message>
    <message>
        <source>No answers yet.</source>
        <translation>还没有回答。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>QuestionnaireTableModel</name>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Responses</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>My grids&apos; responses</source>
        <translation>我的网格回复</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
</context>
<context>
    <name>QuestionnairesPage</name>
    <message>
        <source>Find by title or code</source>
        <translation>按标题或编号查找</translation>
    </message>
    <message>
        <source>No questionnaires yet</source>
        <translation>还没有问卷</translation>
    </message>
    <message>
        <source>Questionnaires</source>
        <translation>民主问卷</translation>
    </message>
    <message>
        <source>New questionnaire</source>
        <translation>新建问卷</translation>
    </message>
    <message>
        <source>From a template: courtyard renovation, parking, elevator installation, satisfaction (Ctrl+N)</source>
        <translation>从模板新建：庭院改造、停车管理、加装电梯、满意度调查（Ctrl+N）</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>Discard them</source>
        <translation>放弃这些更改</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Enter the date as year-month-day, e.g. 1950-03-07.</source>
        <translation>请按“年-月-日”输入日期，例如 1950-03-07。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Your unsaved changes from %1 are back.</source>
        <translation>已恢复您在 %1 未保存的更改。</translation>
    </message>
    <message>
        <source>As its care tags say</source>
        <translation>按关怀标签</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Household of %1</source>
        <translation>%1 户</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source>e.g. 1950-03-07</source>
        <translation>例如 1950-03-07</translation>
    </message>
    <message>
        <source>Add a resident</source>
        <translation>添加居民</translation>
    </message>
    <message>
        <source>Resident %1</source>
        <translation>居民 %1</translation>
    </message>
</context>
<context>
    <name>RecordPanel</name>
    <message>
        <source>Waiting to be sent</source>
        <translation>等待发送</translation>
    </message>
    <message>
        <source>Your change is kept on this computer and will be sent at the next sync.</source>
        <translation>您的修改已保存在本机，将在下次同步时发送。</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>A printable copy of this record (Ctrl+P)</source>
        <translation>生成可打印的考核表（Ctrl+P）</translation>
    </message>
    <message>
        <source>Preview: computed on this computer from your local data, up to today. The official figures are computed by the server and may differ until everything is synced.</source>
        <translation>预览：根据本机数据计算，统计到今天。正式指标由服务器计算，在全部同步之前可能略有不同。</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>知道了</translation>
    </message>
    <message>
        <source>I have read this</source>
        <translation>我已阅读</translation>
    </message>
    <message>
        <source>Self-assessment</source>
        <translation>自评</translation>
    </message>
    <message>
        <source>What went well this month, what did not, and why: visits, tickets, residents you helped…</source>
        <translation>本月哪些做得好、哪些不足以及原因：走访、工单、帮助过的居民…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save the self-assessment (Ctrl+S)</source>
        <translation>保存自评（Ctrl+S）</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Comment for the social worker (optional to approve, needed to return)</source>
        <translation>给社工的意见（通过时可不填，退回时必填）</translation>
    </message>
    <message>
        <source>To return the record, write what the social worker should change.</source>
        <translation>如需退回，请写明社工需要修改的内容。</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>通过(&amp;A)</translation>
    </message>
    <message>
        <source>Approve with this score (Alt+A)</source>
        <translation>按此得分通过（Alt+A）</translation>
    </message>
    <message>
        <source>&amp;Return</source>
        <translation>退回(&amp;R)</translation>
    </message>
    <message>
        <source>Send it back to the social worker with your comment (Alt+R)</source>
        <translation>附上意见退回给社工（Alt+R）</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>审批</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Your decision is not sent yet: take it back (Ctrl+Z)</source>
        <translation>审批尚未发送：可以撤销（Ctrl+Z）</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>重新打开…</translation>
    </message>
    <message>
        <source>The approval has been sent: reopen the record for a new decision, with a reason the social worker will read</source>
        <translation>审批已发送：重新打开这份考核以便重新审批，并写明社工能看到的原因</translation>
    </message>
    <message>
        <source>History</source>
        <translation>处理记录</translation>
    </message>
    <message>
        <source>No record chosen</source>
        <translation>未选择考核</translation>
    </message>
    <message>
        <source>Choose a record on the left to see its figures.</source>
        <translation>在左侧选择一份考核，查看其指标。</translation>
    </message>
    <message>
        <source>Reading the record…</source>
        <translation>正在读取考核…</translation>
    </message>
    <message>
        <source>%1 · live preview</source>
        <translation>%1 · 实时预览</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Counted from the 1st to %1.</source>
        <translation>统计自本月 1 日至 %1。</translation>
    </message>
    <message>
        <source>Suggested score: %1</source>
        <translation>建议得分：%1</translation>
    </message>
    <message>
        <source>This record is no longer here</source>
        <translation>这份考核已不在本机</translation>
    </message>
    <message>
        <source>It was removed from your area on the server.</source>
        <translation>服务器已将其移出您的负责范围。</translation>
    </message>
    <message>
        <source>The record could not be read</source>
        <translation>无法读取这份考核</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Computed by the server %1.</source>
        <translation>服务器计算于 %1。</translation>
    </message>
    <message>
        <source>Score: %1</source>
        <translation>得分：%1</translation>
    </message>
    <message>
        <source>Use the suggested %1</source>
        <translation>采用建议得分 %1</translation>
    </message>
    <message>
        <source>Submitted: waiting for your supervisor&apos;s decision. If you change the self-assessment now, it needs a new decision.</source>
        <translation>已提交，等待审核。如果现在修改自评，需要重新审核。</translation>
    </message>
    <message>
        <source>Approved: this is the month&apos;s final assessment.</source>
        <translation>已通过：这是本月的最终考核。</translation>
    </message>
    <message>
        <source>Returned to you: change what was asked, then submit again.</source>
        <translation>已退回：请按意见修改后重新提交。</translation>
    </message>
    <message>
        <source>When you submit, your supervisor decides on these figures and your self-assessment.</source>
        <translation>提交后，审核人将根据这些指标和您的自评进行审核。</translation>
    </message>
    <message>
        <source>Approved by %1 with the score %2.</source>
        <translation>%1 已审核通过，得分 %2。</translation>
    </message>
    <message>
        <source>Returned by %1.</source>
        <translation>%1 已退回。</translation>
    </message>
    <message>
        <source>Last time %1 asked: %2</source>
        <translation>上次 %1 的意见：%2</translation>
    </message>
    <message>
        <source>What you had decided (%1) is kept in the form below.</source>
        <translation>您之前的审批（%1）已保留在下方表单中。</translation>
    </message>
    <message>
        <source>Your unsaved text from %1 is back: save it, or submit.</source>
        <translation>已恢复您在 %1 未保存的内容：请保存或提交。</translation>
    </message>
    <message>
        <source>Not saved yet: kept on this computer while you write.</source>
        <translation>尚未保存：输入时已暂存在本机。</translation>
    </message>
    <message>
        <source>The record changed while you were reading it (a sync brought the latest copy). Read it again, then decide.</source>
        <translation>您阅读期间考核已被修改（同步带来了最新内容）。请重新阅读后再审批。</translation>
    </message>
    <message>
        <source>Your decision has been sent to the server already: to take it back, reopen the record with a reason.</source>
        <translation>审批已发送到服务器：如需收回，请填写原因后重新打开这份考核。</translation>
    </message>
    <message>
        <source>Not done: %1</source>
        <translation>未完成：%1</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Save the record as PDF</source>
        <translation>将考核另存为 PDF</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>Records</name>
    <message>
        <source>Household</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>走访</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>诉求</translation>
    </message>
    <message>
        <source>Performance record</source>
        <translation>绩效考核</translation>
    </message>
    <message>
        <source>Ticket event</source>
        <translation>工单记录</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Estate</source>
        <translation>小区</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>室</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Head of household</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Care tags</source>
        <translation>关怀标签</translation>
    </message>
    <message>
        <source>Visit every (days)</source>
        <translation>走访周期（天）</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>上次走访</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Resident ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <source>Relation to the head</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <source>Visited at</source>
        <translation>走访时间</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>表单内容</translation>
    </message>
    <message>
        <source>Needs follow-up</source>
        <translation>需要跟进</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Self-assessment</source>
        <translation>自评</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>Living here</source>
        <translation>在住</translation>
    </message>
    <message>
        <source>Moved out</source>
        <translation>已迁出</translation>
    </message>
    <message>
        <source>Deceased</source>
        <translation>已故</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>Elderly living alone</source>
        <translation>独居老人</translation>
    </message>
    <message>
        <source>Empty-nest elderly</source>
        <translation>空巢老人</translation>
    </message>
    <message>
        <source>Subsistence allowance</source>
        <translation>低保</translation>
    </message>
    <message>
        <source>Disability</source>
        <translation>残疾</translation>
    </message>
    <message>
        <source>Veteran</source>
        <translation>退役军人</translation>
    </message>
    <message>
        <source>Special-assistance family</source>
        <translation>特扶</translation>
    </message>
    <message>
        <source>Key attention</source>
        <translation>重点关注</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Spouse</source>
        <translation>配偶</translation>
    </message>
    <message>
        <source>Child</source>
        <translation>子女</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>父母</translation>
    </message>
    <message>
        <source>Grandchild</source>
        <translation>孙子女</translation>
    </message>
    <message>
        <source>Sibling</source>
        <translation>兄弟姐妹</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Government affairs</source>
        <translation>政务办理</translation>
    </message>
    <message>
        <source>Meals for the elderly</source>
        <translation>养老助餐</translation>
    </message>
    <message>
        <source>Elderly care homes</source>
        <translation>养老机构</translation>
    </message>
    <message>
        <source>Health care</source>
        <translation>医疗卫生</translation>
    </message>
    <message>
        <source>Employment</source>
        <translation>就业服务</translation>
    </message>
    <message>
        <source>Legal aid</source>
        <translation>法律援助</translation>
    </message>
    <message>
        <source>Repairs</source>
        <translation>便民维修</translation>
    </message>
    <message>
        <source>Culture and sports</source>
        <translation>文化体育</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>RejectionCard</name>
    <message>
        <source>Dismiss</source>
        <translation>知道了</translation>
    </message>
    <message>
        <source>You have read this; it leaves the list.</source>
        <translation>表示您已看过，它将从列表中移除。</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>What you entered (kept here)</source>
        <translation>您填写的内容（保存在这里）</translation>
    </message>
    <message>
        <source>Refused %1</source>
        <translation>拒绝于 %1</translation>
    </message>
</context>
<context>
    <name>RelativeTime</name>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>%n 分钟前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>%n 小时前</numerusform>
        </translation>
    </message>
    <message>
        <source>yesterday %1</source>
        <translation>昨天 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n 天前</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReopenDialog</name>
    <message>
        <source>Reopen the record</source>
        <translation>重新打开考核</translation>
    </message>
    <message>
        <source>The approval was sent. Reopening takes it back: the record waits for a new decision, and the social worker reads your reason in its history.</source>
        <translation>审批已发送。重新打开将收回审批：考核重新等待审批，社工可在处理记录中看到你写的原因。</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Why the decision is taken back</source>
        <translation>收回审批的原因</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Write the reason: the social worker will read it.</source>
        <translation>请填写原因：社工会看到。</translation>
    </message>
</context>
<context>
    <name>ReplyDialog</name>
    <message>
        <source>the resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>Reply in the group</source>
        <translation>在群里回复</translation>
    </message>
    <message>
        <source>To %1 · %2</source>
        <translation>发往 %1 · %2</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Your answer; the bot posts it in the group</source>
        <translation>回复内容，由鼓宝发到群里</translation>
    </message>
    <message>
        <source>Edit canned replies…</source>
        <translation>编辑常用回复…</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Posted as</source>
        <translation>群里显示为</translation>
    </message>
    <message>
        <source>Canned replies</source>
        <translation>常用回复</translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation>发送（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>%1 / %2 characters</source>
        <translation>%1 / %2 字</translation>
    </message>
    <message>
        <source>Click to use this reply</source>
        <translation>单击使用这条回复</translation>
    </message>
    <message>
        <source>Write the reply first, or choose a canned reply.</source>
        <translation>请先填写回复，或选择一条常用回复。</translation>
    </message>
    <message>
        <source>A reply can be at most %1 characters; this one has %2. Shorten it, or make a ticket for what needs more.</source>
        <translation>回复最多 %1 字，这条有 %2 字。请精简；需要详细处理的，请转为工单。</translation>
    </message>
</context>
<context>
    <name>RuleDialog</name>
    <message>
        <source>Edit alert rule</source>
        <translation>编辑告警规则</translation>
    </message>
    <message>
        <source>New alert rule</source>
        <translation>新建告警规则</translation>
    </message>
    <message>
        <source>A message in a group that has one of the words (and, if given, one of the words that must come with them) raises an alert; an urgent one also files an urgent ticket.</source>
        <translation>群消息中出现其中一个关键词（如填写了同时出现的词，还需出现其中之一）即触发告警；紧急告警还会生成一张紧急工单。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Any of these words, separated by spaces</source>
        <translation>任一关键词，用空格分隔</translation>
    </message>
    <message>
        <source>Optional: only together with one of these</source>
        <translation>可选：须同时出现其中一个词</translation>
    </message>
    <message>
        <source>Urgent (files an urgent ticket)</source>
        <translation>紧急（生成紧急工单）</translation>
    </message>
    <message>
        <source>Watch</source>
        <translation>关注</translation>
    </message>
    <message>
        <source>The grid&apos;s social worker</source>
        <translation>网格社工</translation>
    </message>
    <message>
        <source>The community&apos;s clerks</source>
        <translation>社区工作人员</translation>
    </message>
    <message>
        <source>The street&apos;s duty officer</source>
        <translation>街道值班人员</translation>
    </message>
    <message>
        <source>The rule is on</source>
        <translation>启用此规则</translation>
    </message>
    <message>
        <source>Dry run over the last 30 days</source>
        <translation>用近30天消息试运行</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Keywords</source>
        <translation>关键词</translation>
    </message>
    <message>
        <source>Together with</source>
        <translation>同时出现</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Applies to</source>
        <translation>适用范围</translation>
    </message>
    <message>
        <source>Give at least one word that fires the rule.</source>
        <translation>请至少填写一个触发规则的关键词。</translation>
    </message>
    <message>
        <source>Keywords are single words of up to 32 characters, at most 30 of them.</source>
        <translation>关键词为单个词语，每个不超过 32 个字，最多 30 个。</translation>
    </message>
    <message>
        <source>Looking through the messages…</source>
        <translation>正在查找消息…</translation>
    </message>
    <message numerus="yes">
        <source>As typed, it would have fired %n time(s) in the last 30 days</source>
        <translation>
            <numerusform>按当前填写，近30天内会触发 %n 次</numerusform>
        </translation>
    </message>
    <message>
        <source>Give the rule a name.</source>
        <translation>请给规则起个名称。</translation>
    </message>
    <message>
        <source>Choose who is alerted.</source>
        <translation>请选择通知谁。</translation>
    </message>
</context>
<context>
    <name>RulesPage</name>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Keywords</source>
        <translation>关键词</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>On</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Fired</source>
        <translation>触发次数</translation>
    </message>
    <message>
        <source>New rule</source>
        <translation>新建规则</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Turn off</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Dry run over the last 30 days</source>
        <translation>用近30天消息试运行</translation>
    </message>
</context>
<context>
    <name>ServiceDialog</name>
    <message>
        <source>Edit service</source>
        <translation>编辑便民服务</translation>
    </message>
    <message>
        <source>New service</source>
        <translation>新建便民服务</translation>
    </message>
    <message>
        <source>鼓宝 answers residents asking how to get this done with where, when, what to bring and the steps.</source>
        <translation>居民问怎么办理时，鼓宝用办理地点、时间、所需材料和步骤回答。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>What to bring, separated by 、 or spaces</source>
        <translation>需带的材料，用“、”或空格分隔</translation>
    </message>
    <message>
        <source>Other words residents use for it</source>
        <translation>居民的其他说法</translation>
    </message>
    <message>
        <source>Offered (鼓宝 answers with it)</source>
        <translation>提供中（鼓宝会用它回答）</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>办理时间</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Materials</source>
        <translation>所需材料</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>办理步骤</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>网上办理</translation>
    </message>
    <message>
        <source>Keywords</source>
        <translation>关键词</translation>
    </message>
    <message>
        <source>Applies to</source>
        <translation>适用范围</translation>
    </message>
    <message>
        <source>A category and a name are needed.</source>
        <translation>需要填写类别和名称。</translation>
    </message>
    <message>
        <source>An online link starts with http:// or https://</source>
        <translation>网上办理链接须以 http:// 或 https:// 开头</translation>
    </message>
    <message>
        <source>Materials are short names of up to 32 characters, at most 30 of them.</source>
        <translation>材料名称每个不超过 32 个字，最多 30 个。</translation>
    </message>
    <message>
        <source>Keywords are single words of up to 32 characters, at most 30 of them.</source>
        <translation>关键词为单个词语，每个不超过 32 个字，最多 30 个。</translation>
    </message>
</context>
<context>
    <name>ServicesPage</name>
    <message>
        <source>Find a service</source>
        <translation>搜索服务</translation>
    </message>
    <message>
        <source>New service</source>
        <translation>新建便民服务</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>办理时间</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Address of the central server, e.g. https://desk.example.cn</source>
        <translation>中心服务器的地址，例如 https://desk.example.cn</translation>
    </message>
    <message>
        <source>Seconds between two background syncs while online.</source>
        <translation>联网时两次后台同步之间的间隔（秒）。</translation>
    </message>
    <message>
        <source>Language of the application; applies at once.</source>
        <translation>界面语言；更改后立即生效。</translation>
    </message>
    <message>
        <source>Minutes without a key or mouse press after which the window is covered and asks for your password (a laptop left open in a resident&apos;s home shows nothing).</source>
        <translation>无键盘或鼠标操作多少分钟后遮盖窗口并要求输入密码（笔记本留在居民家中时不显示任何内容）。</translation>
    </message>
    <message>
        <source>The register&apos;s chosen filters.</source>
        <translation>住户列表的筛选条件。</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Synchronisation</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Sync every</source>
        <translation>同步间隔</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>安全</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Lock the window after</source>
        <translation>无操作多久后锁定窗口</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation>当前账号</translation>
    </message>
    <message>
        <source>This computer has no secure key store, so your sign-in is kept only until the app closes: you will be asked for your password next time.</source>
        <translation>这台电脑没有安全的密钥存储，登录状态只保留到关闭程序为止：下次启动时需要重新输入密码。</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <source>Log file</source>
        <translation>日志文件</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <source>If something goes wrong, send this file to your IT contact.</source>
        <translation>遇到问题时，请把这个文件发给负责信息化的同事。</translation>
    </message>
</context>
<context>
    <name>StaffDialog</name>
    <message>
        <source>New staff member</source>
        <translation>新增人员</translation>
    </message>
    <message>
        <source>They get a one-time password, shown once here, and choose their own at their first sign-in.</source>
        <translation>系统生成一次性密码（只在此显示一次），对方首次登录时设置自己的密码。</translation>
    </message>
    <message>
        <source>lower-case letters and digits</source>
        <translation>小写字母和数字</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>A name and a user name of at least 3 characters.</source>
        <translation>请填写姓名和至少 3 个字符的用户名。</translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <source>Your unsent text from before is back.</source>
        <translation>已恢复您上次未发送的内容。</translation>
    </message>
    <message>
        <source>Start afresh</source>
        <translation>清空重填</translation>
    </message>
    <message>
        <source>Or press Ctrl+Enter</source>
        <translation>也可按 Ctrl+Enter</translation>
    </message>
</context>
<context>
    <name>StepRunner</name>
    <message>
        <source>This step is no longer possible: the ticket has moved on. The view has been refreshed.</source>
        <translation>此操作已无法进行：工单状态已经变化，界面已刷新。</translation>
    </message>
    <message>
        <source>You are not allowed to take this step.</source>
        <translation>您无权进行此操作。</translation>
    </message>
    <message>
        <source>Please check what you entered (%1).</source>
        <translation>请检查填写的内容（%1）。</translation>
    </message>
    <message>
        <source>Could not %1: %2</source>
        <translation>未能%1：%2</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <source>View…</source>
        <translation>查看…</translation>
    </message>
    <message>
        <source>Every edit not yet sent, and why</source>
        <translation>所有尚未发送的修改及原因</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) need your decision under Conflicts.</source>
        <translation>
            <numerusform>有 %n 项修改需要您在“冲突处理”中确认。</numerusform>
        </translation>
    </message>
    <message>
        <source>Sending %1 of %2…</source>
        <translation>正在上传 %1/%2…</translation>
    </message>
    <message>
        <source>Receiving %1 of %2…</source>
        <translation>正在接收 %1/%2…</translation>
    </message>
    <message>
        <source>Sending %1…</source>
        <translation>正在上传 %1…</translation>
    </message>
    <message>
        <source>Receiving %1…</source>
        <translation>正在接收 %1…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>The server cannot be reached. You can keep working: your edits are kept on this computer and sent when the connection is back.</source>
        <translation>无法连接服务器。您可以继续工作：修改会保存在这台电脑上，网络恢复后自动上传。</translation>
    </message>
    <message>
        <source>Sync problem</source>
        <translation>同步异常</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Connected to the server.</source>
        <translation>已连接到服务器。</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>上次同步：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) to send</source>
        <translation>
            <numerusform>%n 项修改待上传</numerusform>
        </translation>
    </message>
    <message>
        <source>All edits sent</source>
        <translation>修改已全部上传</translation>
    </message>
</context>
<context>
    <name>TextStepDialog</name>
    <message>
        <source>Please write something here first.</source>
        <translation>请先填写此项。</translation>
    </message>
</context>
<context>
    <name>TicketDetailView</name>
    <message>
        <source>No ticket chosen</source>
        <translation>未选择工单</translation>
    </message>
    <message>
        <source>Choose a ticket on the left to see its details, its timeline and the steps you can take.</source>
        <translation>在左侧选择一张工单，查看详情、办理记录和可以进行的操作。</translation>
    </message>
    <message>
        <source>More steps</source>
        <translation>更多操作</translation>
    </message>
    <message>
        <source>Add a comment for the timeline…</source>
        <translation>添加备注，记入办理记录…</translation>
    </message>
    <message>
        <source>Add comment</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <source>Add the comment to the timeline (Ctrl+Enter)</source>
        <translation>把备注记入办理记录（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Residents&apos; messages</source>
        <translation>居民消息</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>办理记录</translation>
    </message>
    <message>
        <source>%1 · escalated</source>
        <translation>%1 · 已督办</translation>
    </message>
    <message>
        <source>%1 · not sent yet</source>
        <translation>%1 · 尚未发送</translation>
    </message>
    <message>
        <source>Was due %1</source>
        <translation>时限 %1</translation>
    </message>
    <message>
        <source>%1 · due %2</source>
        <translation>%1 · 时限 %2</translation>
    </message>
    <message>
        <source>(the clock is stopped while waiting on the resident)</source>
        <translation>（等待居民期间暂停计时）</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>知道了</translation>
    </message>
    <message>
        <source>I have read this; hide it.</source>
        <translation>我已知悉，不再显示。</translation>
    </message>
    <message>
        <source>Merged into %1 “%2”.</source>
        <translation>已合并到 %1“%2”。</translation>
    </message>
    <message>
        <source>%1 “%2” was merged into this ticket (open it to split it back out).</source>
        <translation>%1“%2”已合并到本工单（打开它可拆分出来）。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Came in by</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>Nobody yet</source>
        <translation>尚未派单</translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <translation>%1，%2 创建</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Not linked to a household</source>
        <translation>未关联住户</translation>
    </message>
    <message>
        <source>Extension asked</source>
        <translation>延期申请</translation>
    </message>
    <message>
        <source>%1 working days: %2</source>
        <translation>%1 个工作日：%2</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>办理结果</translation>
    </message>
    <message>
        <source>Follow-up call</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Nothing has happened yet.</source>
        <translation>尚无办理记录。</translation>
    </message>
    <message>
        <source>not sent yet</source>
        <translation>尚未发送</translation>
    </message>
</context>
<context>
    <name>TicketPicker</name>
    <message>
        <source>Number or title</source>
        <translation>工单编号或标题</translation>
    </message>
    <message>
        <source>opened %1</source>
        <translation>%1创建</translation>
    </message>
    <message>
        <source>Likely the same: %1</source>
        <translation>可能重复：%1</translation>
    </message>
    <message>
        <source>Same household, or same grid and category with a similar description, opened within two weeks</source>
        <translation>同一住户，或同一网格、同一类别且描述相近，两周内创建</translation>
    </message>
    <message>
        <source>No ticket matches “%1”. Try the number, or other words of the title.</source>
        <translation>没有与“%1”相符的工单。请试试工单编号，或标题中的其他字词。</translation>
    </message>
    <message>
        <source>There are no tickets to choose from here.</source>
        <translation>这里没有可选的工单。</translation>
    </message>
</context>
<context>
    <name>TicketReadDialog</name>
    <message>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
</context>
<context>
    <name>TicketTableModel</name>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>Escalated for supervision</source>
        <translation>已督办</translation>
    </message>
    <message>
        <source>%1 (your changes are not sent yet)</source>
        <translation>%1（您的修改尚未发送）</translation>
    </message>
    <message>
        <source>Due %1 · %2</source>
        <translation>时限 %1 · %2</translation>
    </message>
</context>
<context>
    <name>Tickets</name>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>已派单</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已签收</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>办理中</translation>
    </message>
    <message>
        <source>Waiting on resident</source>
        <translation>等待居民</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已回访</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退单</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>High</source>
        <translation>较急</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>WeChat group</source>
        <translation>微信群</translation>
    </message>
    <message>
        <source>WeCom group</source>
        <translation>企业微信群</translation>
    </message>
    <message>
        <source>Walk-in</source>
        <translation>来访</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>12345 hotline</source>
        <translation>12345热线</translation>
    </message>
    <message>
        <source>Found on a visit</source>
        <translation>走访发现</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Basically satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>To handle</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Made a ticket</source>
        <translation>已转工单</translation>
    </message>
    <message>
        <source>Linked to a ticket</source>
        <translation>已关联工单</translation>
    </message>
    <message>
        <source>Dismissed</source>
        <translation>已忽略</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已回复</translation>
    </message>
    <message>
        <source>Triage…</source>
        <translation>分类定级…</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>派单…</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>Start work</source>
        <translation>开始办理</translation>
    </message>
    <message>
        <source>Wait for resident…</source>
        <translation>等待居民…</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复办理</translation>
    </message>
    <message>
        <source>Resolve…</source>
        <translation>办结…</translation>
    </message>
    <message>
        <source>Return…</source>
        <translation>退单…</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>重新办理…</translation>
    </message>
    <message>
        <source>Ask for more time…</source>
        <translation>申请延期…</translation>
    </message>
    <message>
        <source>Approve extension…</source>
        <translation>批准延期…</translation>
    </message>
    <message>
        <source>Escalate…</source>
        <translation>督办…</translation>
    </message>
    <message>
        <source>Merge into…</source>
        <translation>合并到…</translation>
    </message>
    <message>
        <source>Split out</source>
        <translation>拆分出来</translation>
    </message>
    <message>
        <source>Cancel ticket…</source>
        <translation>撤销工单…</translation>
    </message>
    <message>
        <source>Follow-up call…</source>
        <translation>回访…</translation>
    </message>
    <message>
        <source>Comment…</source>
        <translation>备注…</translation>
    </message>
    <message>
        <source>triage</source>
        <translation>分类定级</translation>
    </message>
    <message>
        <source>assign</source>
        <translation>派单</translation>
    </message>
    <message>
        <source>accept</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>start work</source>
        <translation>开始办理</translation>
    </message>
    <message>
        <source>wait for the resident</source>
        <translation>等待居民</translation>
    </message>
    <message>
        <source>resume</source>
        <translation>恢复办理</translation>
    </message>
    <message>
        <source>resolve</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>return</source>
        <translation>退单</translation>
    </message>
    <message>
        <source>reopen</source>
        <translation>重新办理</translation>
    </message>
    <message>
        <source>ask for more time</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <source>approve the extension</source>
        <translation>批准延期</translation>
    </message>
    <message>
        <source>escalate</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>split out</source>
        <translation>拆分</translation>
    </message>
    <message>
        <source>cancel</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>record the follow-up call</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>comment</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>make a ticket</source>
        <translation>转为工单</translation>
    </message>
    <message>
        <source>link to a ticket</source>
        <translation>关联工单</translation>
    </message>
    <message>
        <source>dismiss</source>
        <translation>忽略</translation>
    </message>
    <message>
        <source>reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>undo the dismissal</source>
        <translation>撤销忽略</translation>
    </message>
    <message>
        <source>create</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>edit</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>send for approval</source>
        <translation>提交审核</translation>
    </message>
    <message>
        <source>approve</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <source>schedule</source>
        <translation>排期发送</translation>
    </message>
    <message>
        <source>publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>open the discussion</source>
        <translation>进入讨论</translation>
    </message>
    <message>
        <source>open the vote</source>
        <translation>开始投票</translation>
    </message>
    <message>
        <source>record the decision</source>
        <translation>形成决定</translation>
    </message>
    <message>
        <source>announce the decision</source>
        <translation>公布决定</translation>
    </message>
    <message>
        <source>post again to the groups</source>
        <translation>重新发到群里</translation>
    </message>
    <message>
        <source>sign up a volunteer</source>
        <translation>为志愿者报名</translation>
    </message>
    <message>
        <source>withdraw a volunteer</source>
        <translation>取消志愿者报名</translation>
    </message>
    <message>
        <source>record the attendance</source>
        <translation>登记出勤</translation>
    </message>
    <message>
        <source>replace the answers</source>
        <translation>替换答卷</translation>
    </message>
    <message>
        <source>revoke the device</source>
        <translation>停用设备</translation>
    </message>
    <message>
        <source>close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的工单</translation>
    </message>
    <message>
        <source>To dispatch</source>
        <translation>待派单</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>今日到期</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Follow-up calls</source>
        <translation>待回访</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>Extension requests</source>
        <translation>延期申请</translation>
    </message>
    <message>
        <source>All tickets</source>
        <translation>全部工单</translation>
    </message>
    <message>
        <source>Open tickets assigned to you.</source>
        <translation>派给您、尚未办结的工单。</translation>
    </message>
    <message>
        <source>New and returned tickets that nobody handles yet.</source>
        <translation>新建和退单、尚无人承办的工单。</translation>
    </message>
    <message>
        <source>Open tickets due before midnight.</source>
        <translation>今天24点前到期的在办工单。</translation>
    </message>
    <message>
        <source>Open tickets past their due time (tickets waiting on the resident do not count: their clock is stopped).</source>
        <translation>已过办理时限的在办工单（等待居民的工单暂停计时，不计入）。</translation>
    </message>
    <message>
        <source>Tickets waiting on the resident; the clock is stopped meanwhile.</source>
        <translation>等待居民的工单，期间暂停计时。</translation>
    </message>
    <message>
        <source>Resolved tickets waiting for the follow-up call to the resident.</source>
        <translation>已办结、等待回访居民的工单。</translation>
    </message>
    <message>
        <source>Open tickets escalated for supervision.</source>
        <translation>已督办的在办工单。</translation>
    </message>
    <message>
        <source>Tickets whose assignee asked for more time.</source>
        <translation>承办人申请延期的工单。</translation>
    </message>
    <message>
        <source>Every ticket you can see, also closed ones.</source>
        <translation>您能看到的所有工单，包括已结案的。</translation>
    </message>
    <message>
        <source>Only the assignee can do this.</source>
        <translation>只有承办人可以进行此操作。</translation>
    </message>
    <message>
        <source>A social worker can do this only on tickets assigned to them.</source>
        <translation>社工只能处理派给自己的工单。</translation>
    </message>
    <message>
        <source>A social worker can do this only for messages of their own grids.</source>
        <translation>社工只能处理自己网格的消息。</translation>
    </message>
    <message>
        <source>Only the record&apos;s own worker can do this.</source>
        <translation>只有考核表本人可以这样做。</translation>
    </message>
    <message>
        <source>No one decides on their own record.</source>
        <translation>不能审核自己的考核表。</translation>
    </message>
    <message>
        <source>You cannot do this on this ticket.</source>
        <translation>您不能对这张工单进行此操作。</translation>
    </message>
    <message>
        <source>you may no longer do this; the ticket was probably reassigned to someone else meanwhile.</source>
        <translation>您已无权进行此操作，工单可能已改派给其他人。</translation>
    </message>
    <message>
        <source>My grids</source>
        <translation>我网格的全部工单</translation>
    </message>
    <message>
        <source>My street</source>
        <translation>本街道全部工单</translation>
    </message>
    <message>
        <source>the ticket had moved on meanwhile: someone else took a step first.</source>
        <translation>工单状态已经变化，有人先处理了。</translation>
    </message>
    <message>
        <source>it is no longer in your area (reassigned to another grid) or was removed.</source>
        <translation>它已不在您的管辖范围内（已调整到其他网格）或已被删除。</translation>
    </message>
    <message>
        <source>a value was not accepted.</source>
        <translation>有内容未被接受。</translation>
    </message>
    <message>
        <source>an earlier step it built on was not accepted.</source>
        <translation>它所依赖的前一步操作未被接受。</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n working day(s))</source>
        <translation>
            <numerusform>%1（%n 个工作日）</numerusform>
        </translation>
    </message>
    <message>
        <source>Not possible while the ticket is “%1”.</source>
        <translation>工单处于“%1”状态，不能进行此操作。</translation>
    </message>
    <message>
        <source>Only these roles can do this: %1.</source>
        <translation>只有以下角色可以进行此操作：%1。</translation>
    </message>
    <message>
        <source>(not yet numbered)</source>
        <translation>（尚未编号）</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1天%2小时</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1小时%2分</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1分钟</translation>
    </message>
    <message>
        <source>Paused · %1 left</source>
        <translation>暂停 · 剩余%1</translation>
    </message>
    <message>
        <source>Overdue %1</source>
        <translation>超时 %1</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余%1</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1天</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1小时</translation>
    </message>
    <message>
        <source>Paused · %1</source>
        <translation>暂停 · 剩%1</translation>
    </message>
    <message>
        <source>%1 overdue</source>
        <translation>超时 %1</translation>
    </message>
    <message>
        <source>Paused · overdue %1</source>
        <translation>暂停 · 已超时 %1</translation>
    </message>
    <message>
        <source>Due tomorrow</source>
        <translation>明日到期</translation>
    </message>
    <message>
        <source>On track</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Clock stopped</source>
        <translation>暂停计时</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>A colleague</source>
        <translation>一位同事</translation>
    </message>
    <message>
        <source>opened the ticket</source>
        <translation>创建了工单</translation>
    </message>
    <message>
        <source>set the category and priority</source>
        <translation>设定了类别和紧急程度</translation>
    </message>
    <message>
        <source>a colleague</source>
        <translation>一位同事</translation>
    </message>
    <message>
        <source>assigned it to %1</source>
        <translation>派单给 %1</translation>
    </message>
    <message>
        <source>accepted it</source>
        <translation>签收了工单</translation>
    </message>
    <message>
        <source>started work</source>
        <translation>开始办理</translation>
    </message>
    <message>
        <source>is waiting on the resident (clock stopped)</source>
        <translation>等待居民（暂停计时）</translation>
    </message>
    <message>
        <source>resumed work (clock running again)</source>
        <translation>恢复办理（恢复计时）</translation>
    </message>
    <message>
        <source>resolved it</source>
        <translation>办结了工单</translation>
    </message>
    <message>
        <source>returned it to the dispatcher</source>
        <translation>退单</translation>
    </message>
    <message>
        <source>reopened it</source>
        <translation>重新办理</translation>
    </message>
    <message>
        <source>closed it after the follow-up call</source>
        <translation>回访后结案</translation>
    </message>
    <message>
        <source>made the follow-up call: the resident is not satisfied, so the ticket is sent back to be handled again</source>
        <translation>回访：居民不满意，发回重办</translation>
    </message>
    <message numerus="yes">
        <source>asked for %n more working day(s)</source>
        <translation>
            <numerusform>申请延期 %n 个工作日</numerusform>
        </translation>
    </message>
    <message>
        <source>asked for more time</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <source>approved more time</source>
        <translation>批准延期</translation>
    </message>
    <message>
        <source>escalated it because it is overdue</source>
        <translation>因超时督办</translation>
    </message>
    <message>
        <source>escalated it</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>cancelled it</source>
        <translation>撤销了工单</translation>
    </message>
    <message>
        <source>another ticket</source>
        <translation>另一张工单</translation>
    </message>
    <message>
        <source>merged it into %1</source>
        <translation>合并到 %1</translation>
    </message>
    <message>
        <source>merged ticket %1 into this one</source>
        <translation>把工单 %1 合并到本工单</translation>
    </message>
    <message>
        <source>split it back out</source>
        <translation>拆分出来单独办理</translation>
    </message>
    <message>
        <source>linked a resident&apos;s message</source>
        <translation>关联了一条居民消息</translation>
    </message>
    <message>
        <source>commented</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>The ticket to merge into is “%1”: a complaint merged into it would be lost. Choose an open ticket.</source>
        <translation>要合并进去的工单已是“%1”：合并进去的诉求会被遗漏。请选择一个未办结的工单。</translation>
    </message>
    <message>
        <source>the server did not accept it.</source>
        <translation>服务器未接受。</translation>
    </message>
    <message>
        <source>The server did not accept “%1” on a resident&apos;s message: %2</source>
        <translation>服务器未接受对居民消息的“%1”操作：%2</translation>
    </message>
    <message>
        <source>The server did not accept “%1” on ticket %2: %3</source>
        <translation>服务器未接受对工单 %2 的“%1”操作：%3</translation>
    </message>
    <message>
        <source>%1 · retired</source>
        <translation>%1 · 已停用</translation>
    </message>
</context>
<context>
    <name>TicketsView</name>
    <message>
        <source>New ticket</source>
        <translation>新建工单</translation>
    </message>
    <message>
        <source>A request made in person, by phone or through the 12345 hotline (Ctrl+N)</source>
        <translation>居民来访、来电或 12345 热线转来的诉求（Ctrl+N）</translation>
    </message>
    <message>
        <source>Find by number, title, description or assignee (Ctrl+F)</source>
        <translation>按编号、标题、描述或承办人搜索（Ctrl+F）</translation>
    </message>
    <message>
        <source>No tickets here</source>
        <translation>这里没有工单</translation>
    </message>
    <message>
        <source>J / K or Alt+Down / Alt+Up: next / previous ticket · A: assign · R: resolve · right-click the header to show more columns</source>
        <translation>J / K 或 Alt+↓ / Alt+↑：下一张 / 上一张工单 · A：派单 · R：办结 · 右键单击表头可显示更多列</translation>
    </message>
    <message>
        <source>No tickets match your search</source>
        <translation>没有符合搜索条件的工单</translation>
    </message>
    <message>
        <source>Nothing in “%1”</source>
        <translation>“%1”中没有工单</translation>
    </message>
    <message>
        <source>Try fewer or other words.</source>
        <translation>请减少或换用其他关键词。</translation>
    </message>
    <message>
        <source>Resolve the ticket</source>
        <translation>办结工单</translation>
    </message>
    <message>
        <source>Say what was done; the clerk reads it to the resident in the follow-up call.</source>
        <translation>请写明办理情况，回访时办事员会告知居民。</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>办理情况</translation>
    </message>
    <message>
        <source>e.g. the lighting office replaced the lamp on 5 November</source>
        <translation>例如：照明所已于11月5日更换灯具</translation>
    </message>
    <message>
        <source>Return to the dispatcher</source>
        <translation>退单</translation>
    </message>
    <message>
        <source>The ticket goes back to the clerks to be assigned again (退单).</source>
        <translation>工单退回办事员，重新派单。</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>e.g. not in my grid</source>
        <translation>例如：不属于我的网格</translation>
    </message>
    <message>
        <source>Reopen the ticket</source>
        <translation>重新办理</translation>
    </message>
    <message>
        <source>It goes back to its assignee with a new deadline (重新办理).</source>
        <translation>工单退回原承办人，并重新计算办理时限。</translation>
    </message>
    <message>
        <source>Cancel the ticket</source>
        <translation>撤销工单</translation>
    </message>
    <message>
        <source>A cancelled ticket is no longer handled (撤销).</source>
        <translation>撤销后的工单不再办理。</translation>
    </message>
    <message>
        <source>Wait for the resident</source>
        <translation>等待居民</translation>
    </message>
    <message>
        <source>The deadline clock stops until you resume; the working days waited are added to the due time.</source>
        <translation>恢复办理前暂停计时，等待的工作日将顺延到办理时限。</translation>
    </message>
    <message>
        <source>Waiting for</source>
        <translation>等待事项</translation>
    </message>
    <message>
        <source>e.g. the resident is away until Monday</source>
        <translation>例如：居民外出，周一才回来</translation>
    </message>
    <message>
        <source>Escalate the ticket</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>The street&apos;s supervisors see it in their escalated queue (督办).</source>
        <translation>街道主管会在督办列表中看到这张工单。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Split it back out</source>
        <translation>拆分出来</translation>
    </message>
    <message>
        <source>The ticket is handled on its own again.</source>
        <translation>工单将重新单独办理。</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>Toast</name>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>TriageDialog</name>
    <message>
        <source>Triage the ticket</source>
        <translation>分类定级</translation>
    </message>
    <message>
        <source>The category sets the deadline in working days; an urgent ticket is due within one working day.</source>
        <translation>类别决定办理时限（工作日）；紧急工单须在一个工作日内办结。</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>紧急程度</translation>
    </message>
</context>
<context>
    <name>UnassignedGroupsDialog</name>
    <message>
        <source>Unassigned groups</source>
        <translation>未归属的群</translation>
    </message>
    <message>
        <source>The Gubao bot forwards messages from these WeChat groups, but no grid is assigned to them yet, so their messages wait here. Assign each group to a grid of the community (a building&apos;s residents&apos; group) or to the community as a whole (a function group): its messages go to the inbox at once.</source>
        <translation>鼓宝转发了这些微信群的消息，但它们尚未归属网格，消息在此等待。请把每个群归属到本社区的一个网格（楼栋居民群），或归属到整个社区（功能群）：其消息随即进入收件箱。</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>群</translation>
    </message>
    <message>
        <source>Waiting messages</source>
        <translation>待分派消息</translation>
    </message>
    <message>
        <source>Its waiting messages</source>
        <translation>该群待分派的消息</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>发送人</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发送时间</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>归属</translation>
    </message>
    <message>
        <source>Not our community&apos;s group</source>
        <translation>不是本社区的群</translation>
    </message>
    <message>
        <source>The group goes back to the district&apos;s administrators, who assign it.</source>
        <translation>该群交回区管理员处理归属。</translation>
    </message>
    <message>
        <source>Every group is assigned. Nothing waits here.</source>
        <translation>所有群都已归属，没有等待分派的消息。</translation>
    </message>
    <message>
        <source>Assign to:</source>
        <translation>归属到：</translation>
    </message>
    <message>
        <source>The whole %1 (function group)</source>
        <translation>整个%1（功能群）</translation>
    </message>
</context>
<context>
    <name>UrgentBanner</name>
    <message>
        <source>Open the ticket</source>
        <translation>查看工单</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>知道了</translation>
    </message>
    <message>
        <source>Urgent alert · %1: %2</source>
        <translation>紧急告警 · %1：%2</translation>
    </message>
    <message>
        <source>(ticket %1)</source>
        <translation>（工单 %1）</translation>
    </message>
    <message numerus="yes">
        <source>(+%n more)</source>
        <translation>
            <numerusform>（另有 %n 条）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UrgentWatcher</name>
    <message>
        <source>Urgent alert</source>
        <translation>紧急告警</translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message>
        <source>New visit</source>
        <translation>新建走访</translation>
    </message>
    <message>
        <source>Form:</source>
        <translation>表单：</translation>
    </message>
    <message>
        <source>Visited at:</source>
        <translation>走访时间：</translation>
    </message>
    <message>
        <source>Found a problem: raise a ticket</source>
        <translation>发现问题：生成工单</translation>
    </message>
    <message>
        <source>What is wrong, in a few words</source>
        <translation>简要说明问题</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Save draft</source>
        <translation>保存草稿</translation>
    </message>
    <message>
        <source>Keep what is typed; continue later (Ctrl+S)</source>
        <translation>保存已填写的内容，稍后继续（Ctrl+S）</translation>
    </message>
    <message>
        <source>Discard draft</source>
        <translation>放弃草稿</translation>
    </message>
    <message>
        <source>Submit visit</source>
        <translation>提交走访</translation>
    </message>
    <message>
        <source>Record the visit (Ctrl+Enter)</source>
        <translation>记录本次走访（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Visit: %1</source>
        <translation>走访：%1</translation>
    </message>
    <message>
        <source>No visit form is on this computer yet. Sync, then try again.</source>
        <translation>本机还没有走访表单。请先同步，然后重试。</translation>
    </message>
    <message>
        <source>Continuing the draft saved before.</source>
        <translation>继续之前保存的草稿。</translation>
    </message>
    <message>
        <source>Draft saved at %1.</source>
        <translation>草稿已于 %1 保存。</translation>
    </message>
    <message>
        <source>The ticket takes its category and description from “%1” and “%2” above.</source>
        <translation>工单的类别和描述取自上面的“%1”和“%2”。</translation>
    </message>
    <message>
        <source>Optional: the description&apos;s start otherwise</source>
        <translation>可不填：不填则取问题描述的开头</translation>
    </message>
    <message>
        <source>A visit cannot be in the future.</source>
        <translation>走访时间不能晚于现在。</translation>
    </message>
    <message>
        <source>Give the problem a title, so the ticket can be found.</source>
        <translation>请填写问题标题，便于查找工单。</translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s) need attention.</source>
        <translation>
            <numerusform>有 %n 项需要处理。</numerusform>
        </translation>
    </message>
    <message>
        <source>Saving the visit…</source>
        <translation>正在保存走访…</translation>
    </message>
</context>
<context>
    <name>VisitForm</name>
    <message>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>Add photos</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Pictures (*.jpg *.jpeg *.png *.webp);;All files (*)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.webp);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Remove this photo from the visit</source>
        <translation>从本次走访中删除这张照片</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Adding photos…</source>
        <translation>正在添加照片…</translation>
    </message>
    <message>
        <source>Not here yet</source>
        <translation>尚未下载</translation>
    </message>
</context>
<context>
    <name>VisitProblems</name>
    <message>
        <source>Outside the allowed range %1–%2: check the value.</source>
        <translation>超出允许范围 %1–%2，请核对。</translation>
    </message>
    <message>
        <source>Must be at least %1.</source>
        <translation>不能小于 %1。</translation>
    </message>
    <message>
        <source>Must be at most %1.</source>
        <translation>不能大于 %1。</translation>
    </message>
    <message>
        <source>Enter a number.</source>
        <translation>请输入数字。</translation>
    </message>
    <message>
        <source>Enter a whole number.</source>
        <translation>请输入整数。</translation>
    </message>
    <message>
        <source>This does not have the expected form (see the hint).</source>
        <translation>格式不正确（见提示）。</translation>
    </message>
    <message>
        <source>Choose a date.</source>
        <translation>请选择日期。</translation>
    </message>
    <message>
        <source>Choose yes or no.</source>
        <translation>请选择“是”或“否”。</translation>
    </message>
    <message>
        <source>Enter some text.</source>
        <translation>请输入文字。</translation>
    </message>
    <message>
        <source>A photo of this visit is damaged.</source>
        <translation>本次走访的一张照片已损坏。</translation>
    </message>
    <message>
        <source>At most %1 photos.</source>
        <translation>最多 %1 张照片。</translation>
    </message>
    <message>
        <source>This visit form is not on this computer yet: sync first.</source>
        <translation>本机还没有这份走访表单：请先同步。</translation>
    </message>
    <message>
        <source>The visit form has changed meanwhile: open the visit again.</source>
        <translation>走访表单已更新：请重新打开走访。</translation>
    </message>
</context>
<context>
    <name>VisitRecord</name>
    <message>
        <source>On the server</source>
        <translation>已同步到服务器</translation>
    </message>
    <message>
        <source>Not sent yet: it goes at the next sync</source>
        <translation>尚未发送：下次同步时发送</translation>
    </message>
    <message>
        <source>Set aside: the server did not take it (see the outbox)</source>
        <translation>已搁置：服务器未接收（见待发送的修改）</translation>
    </message>
    <message>
        <source>%1 · version %2</source>
        <translation>%1 · 第 %2 版</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Printed %1</source>
        <translation>打印于 %1</translation>
    </message>
</context>
<context>
    <name>VisitRecordDialog</name>
    <message>
        <source>Visit record</source>
        <translation>走访记录</translation>
    </message>
    <message>
        <source>Answers as submitted</source>
        <translation>提交的回答</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>Save this visit as a PDF to print or file (Ctrl+P)</source>
        <translation>将本次走访保存为 PDF，便于打印或归档（Ctrl+P）</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Every change to this visit</source>
        <translation>这次走访的每一次改动</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>This visit is no longer on this computer.</source>
        <translation>本电脑上已没有这条走访记录。</translation>
    </message>
    <message>
        <source>Visit record: %1</source>
        <translation>走访记录：%1</translation>
    </message>
    <message>
        <source>Visited</source>
        <translation>走访时间</translation>
    </message>
    <message>
        <source>Visited by</source>
        <translation>走访人</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>表单</translation>
    </message>
    <message>
        <source>Tickets raised</source>
        <translation>生成的工单</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步状态</translation>
    </message>
    <message>
        <source>Photo not on this computer yet</source>
        <translation>照片尚未下载到本电脑</translation>
    </message>
    <message>
        <source>Visit %1 %2.pdf</source>
        <translation>走访记录 %1 %2.pdf</translation>
    </message>
    <message>
        <source>Export the visit as PDF</source>
        <translation>将走访记录导出为 PDF</translation>
    </message>
    <message>
        <source>Saved as %1</source>
        <translation>已保存为 %1</translation>
    </message>
</context>
<context>
    <name>VisitRecordPlurals</name>
    <message numerus="yes">
        <source>%n photo(s)</source>
        <translation>
            <numerusform>%n 张照片</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VisitsView</name>
    <message>
        <source>My visits</source>
        <translation>我的走访</translation>
    </message>
    <message>
        <source>Drafts to continue</source>
        <translation>待继续的草稿</translation>
    </message>
    <message>
        <source>Visits made lately</source>
        <translation>最近的走访</translation>
    </message>
    <message>
        <source>Double-click a visit to read it</source>
        <translation>双击一条走访记录即可查看</translation>
    </message>
    <message>
        <source>Continue: %1 (saved %2)</source>
        <translation>继续：%1（保存于 %2）</translation>
    </message>
    <message>
        <source>(not sent yet)</source>
        <translation>（尚未上传）</translation>
    </message>
    <message>
        <source>No visits yet: open one from the workbench.</source>
        <translation>还没有走访记录：请从工作台开始走访。</translation>
    </message>
</context>
<context>
    <name>Workbench</name>
    <message numerus="yes">
        <source>Overdue %n day(s)</source>
        <translation>
            <numerusform>超时 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>Never visited</source>
        <translation>从未走访</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>今日到期</translation>
    </message>
    <message>
        <source>Due this week</source>
        <translation>本周到期</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>按时</translation>
    </message>
</context>
<context>
    <name>WorkbenchView</name>
    <message>
        <source>Visits to make</source>
        <translation>待走访</translation>
    </message>
    <message>
        <source>Due this week</source>
        <translation>本周到期</translation>
    </message>
    <message>
        <source>Due now</source>
        <translation>现在到期</translation>
    </message>
    <message>
        <source>Overdue only</source>
        <translation>仅看超时</translation>
    </message>
    <message>
        <source>New visit</source>
        <translation>新建走访</translation>
    </message>
    <message>
        <source>Visit the chosen household (Ctrl+N, Enter)</source>
        <translation>走访所选住户（Ctrl+N、回车）</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续填写</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>上次走访</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>No visits due this week</source>
        <translation>本周没有待走访的住户</translation>
    </message>
    <message>
        <source>Every household of your grids has been visited in time. Drafts you start will appear here.</source>
        <translation>您网格内的住户都已按时走访。开始填写的草稿会显示在这里。</translation>
    </message>
    <message>
        <source>Continue: %1 (saved %2)</source>
        <translation>继续：%1（保存于 %2）</translation>
    </message>
    <message>
        <source>Overdue %1 · never visited %2 · due today %3 · this week %4</source>
        <translation>超时 %1 · 从未走访 %2 · 今日到期 %3 · 本周 %4</translation>
    </message>
    <message>
        <source>Building %1</source>
        <translation>%1 栋</translation>
    </message>
    <message>
        <source>No building</source>
        <translation>无楼栋</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>_ListAndRecord</name>
    <message>
        <source>Syncing… (%1 / %2)</source>
        <translation>正在同步…（%1 / %2）</translation>
    </message>
    <message>
        <source>Syncing… (%1)</source>
        <translation>正在同步…（%1）</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>The records of your area are being downloaded to this computer for the first time; they appear here when it is done.</source>
        <translation>正在首次把你负责范围的记录下载到本机，完成后显示在这里。</translation>
    </message>
</context>
</TS>
