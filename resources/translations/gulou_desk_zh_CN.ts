<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
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
        <source>Your sign-in has expired. Sign in again to keep syncing; your edits are kept.</source>
        <translation>登录已过期。请重新登录以继续同步；您的修改已妥善保存。</translation>
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
        <source>Offline: your changes are kept and will sync later.</source>
        <translation>离线：您的修改已保存，联网后会自动同步。</translation>
    </message>
    <message>
        <source>Sign-in expired: please sign in again to sync.</source>
        <translation>登录已过期：请重新登录后再同步。</translation>
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
        <translation>今天到期的走访、已超期的住户和您手上未办结的工单都会汇集在这里，让您一眼知道先去哪里。</translation>
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
        <translation>在这里新建、派发并跟踪工单，从受理一直到回访；超期工单会被标出并督办。</translation>
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
        <source>Language of the application; used from the next start.</source>
        <translation>界面语言；下次启动时生效。</translation>
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
    <name>SyncStatusBar</name>
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
</TS>
