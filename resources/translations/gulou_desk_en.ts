<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AppController</name>
    <message numerus="yes">
        <source>%n edit(s) have not been sent to the server yet.</source>
        <translation>
            <numerusform>%n edit has not been sent to the server yet.</numerusform>
            <numerusform>%n edits have not been sent to the server yet.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ApprovalQueueView</name>
    <message numerus="yes">
        <source>The server did not accept %n of your decisions: the record had changed in the meantime.</source>
        <translation>
            <numerusform>The server did not accept %n of your decisions: the record had changed in the meantime.</numerusform>
            <numerusform>The server did not accept %n of your decisions: the records had changed in the meantime.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConflictsView</name>
    <message numerus="yes">
        <source>%n edit(s) wait for your decision. Until you decide, the server&apos;s value is shown everywhere and yours is kept here.</source>
        <translation>
            <numerusform>%n edit waits for your decision. Until you decide, the server&apos;s value is shown everywhere and yours is kept here.</numerusform>
            <numerusform>%n edits wait for your decision. Until you decide, the server&apos;s value is shown everywhere and yours is kept here.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConvertDialog</name>
    <message numerus="yes">
        <source>%n messages become one ticket; the first is its source, the others are linked to it.</source>
        <translation>
            <numerusform>%n message becomes one ticket.</numerusform>
            <numerusform>%n messages become one ticket; the first is its source, the others are linked to it.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeskNotifier</name>
    <message numerus="yes">
        <source>%n new request(s) from residents</source>
        <translation>
            <numerusform>%n new request from residents</numerusform>
            <numerusform>%n new requests from residents</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DismissDialog</name>
    <message numerus="yes">
        <source>%n message(s) leave the inbox without a ticket. The reason is kept.</source>
        <translation>
            <numerusform>%n message leaves the inbox without a ticket. The reason is kept.</numerusform>
            <numerusform>%n messages leave the inbox without a ticket. The reason is kept.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DrillDownDialog</name>
    <message numerus="yes">
        <source>%1 (%n row(s))</source>
        <translation>
            <numerusform>%1 (%n row)</numerusform>
            <numerusform>%1 (%n rows)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GubaoView</name>
    <message numerus="yes">
        <source>%1 (%2 · asked %n time(s))</source>
        <translation>
            <numerusform>%1 (%2 · asked %n time)</numerusform>
            <numerusform>%1 (%2 · asked %n times)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (asked %n time(s))</source>
        <translation>
            <numerusform>%1 (asked %n time)</numerusform>
            <numerusform>%1 (asked %n times)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Would have fired %n time(s) in the last 30 days</source>
        <translation>
            <numerusform>Would have fired %n time in the last 30 days</numerusform>
            <numerusform>Would have fired %n times in the last 30 days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HouseholdDetail</name>
    <message numerus="yes">
        <source>every %n day(s)</source>
        <translation>
            <numerusform>every day</numerusform>
            <numerusform>every %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>as its care tags say: every %n day(s)</source>
        <translation>
            <numerusform>as its care tags say: every %n day</numerusform>
            <numerusform>as its care tags say: every %n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HouseholdsView</name>
    <message numerus="yes">
        <source>%n found</source>
        <translation>
            <numerusform>%n found</numerusform>
            <numerusform>%n found</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n household(s)</source>
        <translation>
            <numerusform>%n household</numerusform>
            <numerusform>%n households</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n household(s) so far, by name</source>
        <translation>
            <numerusform>%n household so far, by name</numerusform>
            <numerusform>%n households so far, by name</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InboxView</name>
    <message numerus="yes">
        <source>%n messages chosen; the steps apply to each.</source>
        <translation>
            <numerusform>%n message chosen.</numerusform>
            <numerusform>%n messages chosen; the steps apply to each.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n replies</source>
        <translation>
            <numerusform>%n reply</numerusform>
            <numerusform>%n replies</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LinkDialog</name>
    <message numerus="yes">
        <source>%n message(s) report a problem that a ticket already tracks; they are linked to it and leave the inbox.</source>
        <translation>
            <numerusform>%n message reports a problem that a ticket already tracks; it is linked to it and leaves the inbox.</numerusform>
            <numerusform>%n messages report a problem that a ticket already tracks; they are linked to it and leave the inbox.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message numerus="yes">
        <source>That is not the password. %n more wrong try(s) sign out.</source>
        <translation>
            <numerusform>That is not the password. %n more wrong try signs out.</numerusform>
            <numerusform>That is not the password. %n more wrong tries sign out.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n edit(s) wait for your decision</source>
        <translation>
            <numerusform>%n edit waits for your decision</numerusform>
            <numerusform>%n edits wait for your decision</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OutboxDialog</name>
    <message numerus="yes">
        <source>%n edit(s) could not be sent and are set aside; the others are sent as usual. Retry one when the problem is solved, or discard it.</source>
        <translation>
            <numerusform>%n edit could not be sent and is set aside; the others are sent as usual. Retry it when the problem is solved, or discard it.</numerusform>
            <numerusform>%n edits could not be sent and are set aside; the others are sent as usual. Retry one when the problem is solved, or discard it.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) wait to be sent; they go with the next sync.</source>
        <translation>
            <numerusform>%n edit waits to be sent; it goes with the next sync.</numerusform>
            <numerusform>%n edits wait to be sent; they go with the next sync.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Performance</name>
    <message numerus="yes">
        <source>%n follow-up call(s)</source>
        <translation>
            <numerusform>%n follow-up call</numerusform>
            <numerusform>%n follow-up calls</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n acceptance(s)</source>
        <translation>
            <numerusform>%n acceptance</numerusform>
            <numerusform>%n acceptances</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RelativeTime</name>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>%n minute ago</numerusform>
            <numerusform>%n minutes ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>%n hour ago</numerusform>
            <numerusform>%n hours ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n day ago</numerusform>
            <numerusform>%n days ago</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RuleDialog</name>
    <message numerus="yes">
        <source>As typed, it would have fired %n time(s) in the last 30 days</source>
        <translation>
            <numerusform>As typed, it would have fired %n time in the last 30 days</numerusform>
            <numerusform>As typed, it would have fired %n times in the last 30 days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message numerus="yes">
        <source>%n edit(s) need your decision under Conflicts.</source>
        <translation>
            <numerusform>%n edit needs your decision under Conflicts.</numerusform>
            <numerusform>%n edits need your decision under Conflicts.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) to send</source>
        <translation>
            <numerusform>%n edit to send</numerusform>
            <numerusform>%n edits to send</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tickets</name>
    <message numerus="yes">
        <source>%1 (%n working day(s))</source>
        <translation>
            <numerusform>%1 (%n working day)</numerusform>
            <numerusform>%1 (%n working days)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>asked for %n more working day(s)</source>
        <translation>
            <numerusform>asked for %n more working day</numerusform>
            <numerusform>asked for %n more working days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UrgentBanner</name>
    <message numerus="yes">
        <source>(+%n more)</source>
        <translation>
            <numerusform>(+%n more)</numerusform>
            <numerusform>(+%n more)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message numerus="yes">
        <source>%n answer(s) need attention.</source>
        <translation>
            <numerusform>%n answer needs attention.</numerusform>
            <numerusform>%n answers need attention.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VisitRecordPlurals</name>
    <message numerus="yes">
        <source>%n photo(s)</source>
        <translation>
            <numerusform>%n photo</numerusform>
            <numerusform>%n photos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Workbench</name>
    <message numerus="yes">
        <source>Overdue %n day(s)</source>
        <translation>
            <numerusform>Overdue %n day</numerusform>
            <numerusform>Overdue %n days</numerusform>
        </translation>
    </message>
</context>
</TS>
