"""The local store's schema at its migrations' head, made in one go for a new store
(:func:`gulou_desk.store.engine.create_at_head`). Made by scripts/store_snapshot.py
from a store its migrations built; do not edit.
"""

REVISION = '0021'
STATEMENTS: tuple[str, ...] = (
    'CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT '
    'alembic_version_pkc PRIMARY KEY (version_num)\n)',
    'CREATE TABLE communities (\n\tid VARCHAR(36) NOT NULL, \n\tstreet_id VARCHAR(64), \n'
    '\tname VARCHAR(64), \n\taddress VARCHAR(200), \n\tsync_version BIGINT, \n\tCONSTRAINT '
    'pk_communities PRIMARY KEY (id)\n)',
    'CREATE TABLE conflicts (\n\tid INTEGER NOT NULL, \n\tentity VARCHAR(32) NOT NULL, \n'
    '\trecord_id VARCHAR(36) NOT NULL, \n\tfield VARCHAR(64) NOT NULL, \n\tserver_value JSON, '
    '\n\tclient_value JSON, \n\tmutation_id VARCHAR(36) NOT NULL, \n\tbase_version BIGINT, \n'
    '\tserver_version BIGINT, \n\tcreated_at VARCHAR(32) NOT NULL, changed_by VARCHAR(36), '
    'changed_at VARCHAR(32), \n\tCONSTRAINT pk_conflicts PRIMARY KEY (id)\n)',
    'CREATE TABLE grids (\n\tid VARCHAR(36) NOT NULL, \n\tcommunity_id VARCHAR(64), \n\tname '
    'VARCHAR(64), \n\tworker_ids JSON, \n\twechat_group_id VARCHAR(64), \n\tsync_version '
    'BIGINT, \n\tCONSTRAINT pk_grids PRIMARY KEY (id)\n)',
    'CREATE TABLE households (\n\tid VARCHAR(36) NOT NULL, \n\tgrid_id VARCHAR(64), \n\testate '
    'VARCHAR(64), \n\tbuilding VARCHAR(16), \n\tunit VARCHAR(16), \n\troom VARCHAR(16), \n'
    '\taddress VARCHAR(200), \n\thead_name VARCHAR(64), \n\tphone VARCHAR(32), \n\ttags JSON, \n'
    '\tvisit_cadence_days INTEGER, \n\tlast_visit_at VARCHAR(32), \n\tnotes TEXT, \n\tstatus '
    'VARCHAR(64), \n\tsync_version BIGINT, created_at VARCHAR(32), \n\tCONSTRAINT '
    'pk_households PRIMARY KEY (id)\n)',
    'CREATE TABLE inbox_messages (\n\tid VARCHAR(36) NOT NULL, \n\tsource VARCHAR(64), \n'
    '\tgroup_id VARCHAR(64), \n\tgroup_name VARCHAR(128), \n\tgrid_id VARCHAR(64), \n'
    '\tsender_id VARCHAR(64), \n\tsender_name VARCHAR(64), \n\ttext TEXT, \n\tkeyword '
    'VARCHAR(32), \n\tsent_at VARCHAR(32), \n\tstatus VARCHAR(64), \n\tticket_id VARCHAR(64), \n'
    '\treason TEXT, \n\treply_text TEXT, \n\tsync_version BIGINT, replies JSON, dismissed_at '
    'VARCHAR(32), urgent BOOLEAN, community_id VARCHAR(64), \n\tCONSTRAINT '
    'pk_inbox_messages PRIMARY KEY (id)\n)',
    'CREATE TABLE outbox (\n\tseq INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, \n'
    '\tmutation_id VARCHAR(36) NOT NULL, \n\tentity VARCHAR(32) NOT NULL, \n\trecord_id '
    'VARCHAR(36) NOT NULL, \n\top VARCHAR(8) NOT NULL, \n\tbase_version BIGINT, \n\tfields '
    'JSON, \n\taction VARCHAR(32), \n\targs JSON, \n\tlocal_changes JSON, \n\tcreated_at '
    "VARCHAR(32) NOT NULL, attempts INTEGER DEFAULT '0' NOT NULL, last_error TEXT, "
    "held_at VARCHAR(32), held_code VARCHAR(64), failures INTEGER DEFAULT '0' NOT NULL, \n"
    '\tCONSTRAINT uq_outbox_mutation_id UNIQUE (mutation_id)\n)',
    'CREATE TABLE pending_bases (\n\tentity VARCHAR(32) NOT NULL, \n\trecord_id VARCHAR(36) '
    'NOT NULL, \n\tversion BIGINT, \n\tdata JSON, \n\tCONSTRAINT pk_pending_bases PRIMARY KEY '
    '(entity, record_id)\n)',
    'CREATE TABLE performance_records (\n\tid VARCHAR(36) NOT NULL, \n\tworker_id '
    'VARCHAR(64), \n\tperiod VARCHAR(7), \n\tfigures JSON, \n\tself_assessment TEXT, \n\tscore '
    'FLOAT, \n\tstatus VARCHAR(64), \n\tsupervisor_id VARCHAR(64), \n\tdecision_comment TEXT, \n'
    '\thistory JSON, \n\tsync_version BIGINT, \n\tCONSTRAINT pk_performance_records PRIMARY '
    'KEY (id)\n)',
    'CREATE TABLE rejections (\n\tid INTEGER NOT NULL, \n\tmutation_id VARCHAR(36) NOT NULL, '
    '\n\tentity VARCHAR(32) NOT NULL, \n\trecord_id VARCHAR(36) NOT NULL, \n\top VARCHAR(8) '
    'NOT NULL, \n\taction VARCHAR(32), \n\tfields JSON, \n\targs JSON, \n\tcode VARCHAR(64) NOT '
    'NULL, \n\tmessage TEXT NOT NULL, \n\tdetails JSON, \n\tcreated_at VARCHAR(32) NOT NULL, \n'
    '\tdismissed_at VARCHAR(32), \n\tCONSTRAINT pk_rejections PRIMARY KEY (id)\n)',
    'CREATE TABLE residents (\n\tid VARCHAR(36) NOT NULL, \n\thousehold_id VARCHAR(64), \n'
    '\tname VARCHAR(64), \n\tgender VARCHAR(64), \n\tbirth_date DATE, \n\tid_number '
    'VARCHAR(18), \n\tphone VARCHAR(32), \n\trelation VARCHAR(32), \n\ttags JSON, \n\tstatus '
    'VARCHAR(64), \n\tsync_version BIGINT, \n\tCONSTRAINT pk_residents PRIMARY KEY (id)\n)',
    'CREATE TABLE service_items (\n\tid VARCHAR(36) NOT NULL, \n\tcategory VARCHAR(32), \n'
    '\tname VARCHAR(128), \n\taddress VARCHAR(200), \n\thours VARCHAR(128), \n\tphone '
    'VARCHAR(32), \n\tdocuments JSON, \n\tsync_version BIGINT, steps TEXT, online_link '
    'VARCHAR(256), keywords JSON, scope VARCHAR(64), street_id VARCHAR(64), community_id '
    'VARCHAR(64), active BOOLEAN, \n\tCONSTRAINT pk_service_items PRIMARY KEY (id)\n)',
    'CREATE TABLE staff (\n\tid VARCHAR(36) NOT NULL, \n\tusername VARCHAR(64), \n'
    '\tdisplay_name VARCHAR(64), \n\trole VARCHAR(64), \n\tcommunity_id VARCHAR(64), \n'
    '\tstreet_id VARCHAR(64), \n\tactive BOOLEAN, \n\tsync_version BIGINT, phone VARCHAR(32), '
    '\n\tCONSTRAINT pk_staff PRIMARY KEY (id)\n)',
    'CREATE TABLE streets (\n\tid VARCHAR(36) NOT NULL, \n\tname VARCHAR(64), \n\tsync_version '
    'BIGINT, \n\tCONSTRAINT pk_streets PRIMARY KEY (id)\n)',
    'CREATE TABLE sync_state (\n\t"key" VARCHAR(64) NOT NULL, \n\tvalue JSON, \n\tCONSTRAINT '
    'pk_sync_state PRIMARY KEY ("key")\n)',
    'CREATE TABLE ticket_events (\n\tid VARCHAR(36) NOT NULL, \n\tticket_id VARCHAR(64), \n'
    '\tactor_id VARCHAR(64), \n\tkind VARCHAR(32), \n\tbody TEXT, \n\tat VARCHAR(32), \n\tdata '
    'JSON, \n\tsync_version BIGINT, \n\tCONSTRAINT pk_ticket_events PRIMARY KEY (id)\n)',
    'CREATE TABLE tickets (\n\tid VARCHAR(36) NOT NULL, \n\tnumber VARCHAR(32), \n\ttitle '
    'VARCHAR(128), \n\tdescription TEXT, \n\tcategory VARCHAR(32), \n\tpriority VARCHAR(64), \n'
    '\tstatus VARCHAR(64), \n\tsource VARCHAR(64), \n\thousehold_id VARCHAR(64), \n\tvisit_id '
    'VARCHAR(64), \n\tgrid_id VARCHAR(64), \n\tassignee_id VARCHAR(64), \n\tcreated_by_id '
    'VARCHAR(64), \n\tcreated_at VARCHAR(32), \n\tdue_at VARCHAR(32), \n\tsource_message_ids '
    'JSON, \n\tresolution TEXT, \n\tsatisfaction VARCHAR(64), \n\tmerged_into_id VARCHAR(64), \n'
    '\tescalated BOOLEAN, \n\tpaused_at VARCHAR(32), \n\tsync_version BIGINT, \n\tCONSTRAINT '
    'pk_tickets PRIMARY KEY (id)\n)',
    'CREATE TABLE visit_templates (\n\tid VARCHAR(36) NOT NULL, \n\tname VARCHAR(64), \n'
    '\tversion INTEGER, \n\tfields JSON, \n\tactive BOOLEAN, \n\tsync_version BIGINT, name_en '
    'VARCHAR(64), form_id VARCHAR(36), published_at VARCHAR(32), published_by_id '
    'VARCHAR(64), \n\tCONSTRAINT pk_visit_templates PRIMARY KEY (id)\n)',
    'CREATE TABLE visits (\n\tid VARCHAR(36) NOT NULL, \n\thousehold_id VARCHAR(64), \n'
    '\tworker_id VARCHAR(64), \n\ttemplate_id VARCHAR(64), \n\ttemplate_version INTEGER, \n'
    '\tvisited_at VARCHAR(32), \n\tanswers JSON, \n\tnotes TEXT, \n\tfollow_up BOOLEAN, \n'
    '\tphotos JSON, \n\tsync_version BIGINT, \n\tCONSTRAINT pk_visits PRIMARY KEY (id)\n)',
    'CREATE TABLE drafts (\n\tid VARCHAR(36) NOT NULL, \n\tkind VARCHAR(32) NOT NULL, \n'
    '\trecord_id VARCHAR(36), \n\tpayload JSON NOT NULL, \n\tupdated_at VARCHAR(32) NOT NULL, '
    '\n\tCONSTRAINT pk_drafts PRIMARY KEY (id)\n)',
    'CREATE TABLE search_docs (\n\tdoc INTEGER NOT NULL, \n\thousehold_id VARCHAR(36) NOT '
    'NULL, \n\thead TEXT NOT NULL, \n\thead_initials TEXT NOT NULL, \n\thead_part TEXT NOT '
    'NULL, \n\tpeople TEXT NOT NULL, \n\tpeople_initials TEXT NOT NULL, \n\tpeople_part TEXT '
    'NOT NULL, \n\tplace TEXT NOT NULL, \n\tphones TEXT NOT NULL, \n\tids TEXT NOT NULL, \n'
    '\tsort_name TEXT NOT NULL, \n\tsort_address TEXT NOT NULL, \n\tlast_visit_at '
    'VARCHAR(32), \n\tdue_date DATE, \n\tCONSTRAINT pk_search_docs PRIMARY KEY (doc), \n'
    '\tCONSTRAINT uq_search_docs_household_id UNIQUE (household_id)\n)',
    'CREATE TABLE search_dirty (\n\thousehold_id VARCHAR(36) NOT NULL, \n\tCONSTRAINT '
    'pk_search_dirty PRIMARY KEY (household_id)\n)',
    'CREATE TABLE local_blobs (\n\tsha256 VARCHAR(64) NOT NULL, \n\tcontent_type VARCHAR(64) '
    'NOT NULL, \n\tsize INTEGER NOT NULL, \n\tcreated_at VARCHAR(32) NOT NULL, \n\tuploaded_at '
    "VARCHAR(32), \n\tattempts INTEGER DEFAULT '0' NOT NULL, \n\tlast_error TEXT, \n"
    '\tCONSTRAINT pk_local_blobs PRIMARY KEY (sha256)\n)',
    'CREATE TABLE repull_seen (\n\tseq INTEGER NOT NULL, \n\tentity VARCHAR(32) NOT NULL, \n'
    '\trecord_ids JSON NOT NULL, \n\tCONSTRAINT pk_repull_seen PRIMARY KEY (seq)\n)',
    'CREATE TABLE consultation_comments (\n\tid VARCHAR(36) NOT NULL, \n\tconsultation_id '
    'VARCHAR(64), \n\tgrid_id VARCHAR(64), \n\tauthor_kind VARCHAR(64), \n\tsender_id '
    'VARCHAR(64), \n\tsender_name VARCHAR(64), \n\thousehold_id VARCHAR(64), \n\tstaff_id '
    'VARCHAR(64), \n\tstance VARCHAR(64), \n\tchoice VARCHAR(4), \n\ttext TEXT, \n\tchannel '
    'VARCHAR(64), \n\tstage VARCHAR(64), \n\treceived_at VARCHAR(32), \n\tmessage_id '
    'VARCHAR(128), \n\tsync_version BIGINT, \n\tCONSTRAINT pk_consultation_comments PRIMARY '
    'KEY (id)\n)',
    'CREATE TABLE consultation_meetings (\n\tid VARCHAR(36) NOT NULL, \n\tconsultation_id '
    'VARCHAR(64), \n\theld_at VARCHAR(32), \n\tplace VARCHAR(128), \n\tattendees JSON, \n'
    '\tminutes TEXT, \n\tphotos JSON, \n\tvotes JSON, \n\tcreated_by_id VARCHAR(64), \n'
    '\tsync_version BIGINT, \n\tCONSTRAINT pk_consultation_meetings PRIMARY KEY (id)\n)',
    'CREATE TABLE consultations (\n\tid VARCHAR(36) NOT NULL, \n\tcommunity_id VARCHAR(64), \n'
    '\tgrid_ids JSON, \n\ttopic VARCHAR(128), \n\tbackground TEXT, \n\tproposer_kind '
    'VARCHAR(64), \n\tproposer_name VARCHAR(64), \n\tproposer_household_id VARCHAR(64), \n'
    '\tstage VARCHAR(64), \n\toptions JSON, \n\tdecision TEXT, \n\tannouncement TEXT, \n'
    '\tticket_ids JSON, \n\tquestionnaire_id VARCHAR(64), \n\tcode VARCHAR(16), \n'
    '\tcreated_by_id VARCHAR(64), \n\tcreated_at VARCHAR(32), \n\tpublished_at VARCHAR(32), \n'
    '\thistory JSON, \n\tsync_version BIGINT, \n\tCONSTRAINT pk_consultations PRIMARY KEY '
    '(id)\n)',
    'CREATE TABLE questionnaire_responses (\n\tid VARCHAR(36) NOT NULL, \n\tquestionnaire_id '
    'VARCHAR(64), \n\tgrid_id VARCHAR(64), \n\thousehold_id VARCHAR(64), \n\tsender_id '
    'VARCHAR(64), \n\tsender_name VARCHAR(64), \n\tanswers JSON, \n\tchannel VARCHAR(64), \n'
    '\treceived_at VARCHAR(32), \n\tentered_by_id VARCHAR(64), \n\tmessage_id VARCHAR(128), \n'
    '\thistory JSON, \n\tsync_version BIGINT, \n\tCONSTRAINT pk_questionnaire_responses '
    'PRIMARY KEY (id)\n)',
    'CREATE TABLE questionnaires (\n\tid VARCHAR(36) NOT NULL, \n\tcommunity_id VARCHAR(64), '
    '\n\tgrid_ids JSON, \n\ttitle VARCHAR(128), \n\tintro TEXT, \n\tquestions JSON, \n\ttemplate '
    'VARCHAR(32), \n\topens_at VARCHAR(32), \n\tcloses_at VARCHAR(32), \n\tstatus VARCHAR(64), '
    '\n\tresults_visibility VARCHAR(64), \n\tcode VARCHAR(16), \n\tcreated_by_id VARCHAR(64), \n'
    '\tcreated_at VARCHAR(32), \n\tclosed_at VARCHAR(32), \n\tsync_version BIGINT, \n'
    '\tCONSTRAINT pk_questionnaires PRIMARY KEY (id)\n)',
    'CREATE TABLE volunteer_activities (\n\tid VARCHAR(36) NOT NULL, \n\tcommunity_id '
    'VARCHAR(64), \n\tgrid_ids JSON, \n\ttitle VARCHAR(128), \n\tdescription TEXT, \n\tplace '
    'VARCHAR(128), \n\tstarts_at VARCHAR(32), \n\tends_at VARCHAR(32), \n\tneeded INTEGER, \n'
    '\tsignups JSON, \n\tattended JSON, \n\tstatus VARCHAR(64), \n\tcode VARCHAR(16), \n'
    '\tcreated_by_id VARCHAR(64), \n\tsync_version BIGINT, \n\tCONSTRAINT '
    'pk_volunteer_activities PRIMARY KEY (id)\n)',
    'CREATE TABLE volunteers (\n\tid VARCHAR(36) NOT NULL, \n\tcommunity_id VARCHAR(64), \n'
    '\tname VARCHAR(64), \n\thousehold_id VARCHAR(64), \n\tphone VARCHAR(32), \n\tskills JSON, \n'
    '\tavailability VARCHAR(128), \n\tsender_id VARCHAR(64), \n\tactive BOOLEAN, \n\tjoined_at '
    'VARCHAR(32), \n\tsync_version BIGINT, \n\tCONSTRAINT pk_volunteers PRIMARY KEY (id)\n)',
    'CREATE TABLE devices (\n\tid VARCHAR(36) NOT NULL, \n\tstaff_id VARCHAR(64), \n'
    '\tdevice_id VARCHAR(64), \n\tname VARCHAR(128), \n\tfirst_seen_at VARCHAR(32), \n'
    '\tlast_seen_at VARCHAR(32), \n\tstatus VARCHAR(64), \n\trevoked_at VARCHAR(32), \n'
    '\trevoked_by_id VARCHAR(64), \n\trevoked_reason TEXT, \n\tsync_version BIGINT, \n'
    '\tCONSTRAINT pk_devices PRIMARY KEY (id)\n)',
    'CREATE TABLE photo_data (\n\tsha256 VARCHAR(64) NOT NULL, \n\tdata BLOB NOT NULL, \n'
    '\tthumbnail BLOB, \n\tCONSTRAINT pk_photo_data PRIMARY KEY (sha256)\n)',
    'CREATE TABLE covers (\n\tid VARCHAR(36) NOT NULL, \n\tstaff_id VARCHAR(64), \n\tgrid_id '
    'VARCHAR(64), \n\tstarts_on DATE, \n\tends_on DATE, \n\tnote TEXT, \n\tstatus VARCHAR(64), \n'
    '\tcreated_by_id VARCHAR(64), \n\tended_at VARCHAR(32), \n\tsync_version BIGINT, \n'
    '\tCONSTRAINT pk_covers PRIMARY KEY (id)\n)',
    'CREATE TABLE wechat_groups (\n\tid VARCHAR(36) NOT NULL, \n\tgroup_id VARCHAR(64), \n'
    '\tname VARCHAR(128), \n\tkind VARCHAR(64), \n\tgrid_id VARCHAR(64), \n\tcommunity_id '
    'VARCHAR(64), \n\tfirst_seen_at VARCHAR(32), \n\twaiting INTEGER, \n\tsync_version BIGINT, '
    'proposed_community_id VARCHAR(64), proposed_street_id VARCHAR(64), \n\tCONSTRAINT '
    'pk_wechat_groups PRIMARY KEY (id)\n)',
    'CREATE TABLE alert_rules (\n\tid VARCHAR(36) NOT NULL, \n\tname VARCHAR(64), \n\tkeywords '
    'JSON, \n\twith_words JSON, \n\tlevel VARCHAR(64), \n\tnotify JSON, \n\tscope VARCHAR(64), \n'
    '\tstreet_id VARCHAR(64), \n\tcommunity_id VARCHAR(64), \n\tactive BOOLEAN, \n'
    '\tcreated_by_id VARCHAR(64), \n\tfired_count INTEGER, \n\tsync_version BIGINT, \n'
    '\tCONSTRAINT pk_alert_rules PRIMARY KEY (id)\n)',
    'CREATE TABLE announcements (\n\tid VARCHAR(36) NOT NULL, \n\tcommunity_id VARCHAR(64), \n'
    '\tgrid_ids JSON, \n\tkind VARCHAR(64), \n\ttitle VARCHAR(128), \n\ttext TEXT, \n\tsend_at '
    'VARCHAR(32), \n\trecurrence VARCHAR(64), \n\tstatus VARCHAR(64), \n\tcreated_by_id '
    'VARCHAR(64), \n\tapproved_by_id VARCHAR(64), \n\tsent_at VARCHAR(32), \n\tsent_count '
    'INTEGER, \n\thistory JSON, \n\tsync_version BIGINT, \n\tCONSTRAINT pk_announcements '
    'PRIMARY KEY (id)\n)',
    'CREATE TABLE bot_questions (\n\tid VARCHAR(36) NOT NULL, \n\tcommunity_id VARCHAR(64), \n'
    '\tgrid_id VARCHAR(64), \n\tgroup_id VARCHAR(64), \n\ttext TEXT, \n\tasked_at VARCHAR(32), \n'
    '\tbest_score FLOAT, \n\tcount INTEGER, \n\tstatus VARCHAR(64), \n\tentry_id VARCHAR(64), \n'
    '\tsync_version BIGINT, \n\tCONSTRAINT pk_bot_questions PRIMARY KEY (id)\n)',
    'CREATE TABLE knowledge_entries (\n\tid VARCHAR(36) NOT NULL, \n\tquestion VARCHAR(200), '
    '\n\tanswer TEXT, \n\tkeywords JSON, \n\tscope VARCHAR(64), \n\tstreet_id VARCHAR(64), \n'
    '\tcommunity_id VARCHAR(64), \n\tvalid_from DATE, \n\tvalid_to DATE, \n\tactive BOOLEAN, \n'
    '\towner_id VARCHAR(64), \n\thit_count INTEGER, \n\tlast_hit_at VARCHAR(32), \n\tcreated_at '
    'VARCHAR(32), \n\tsync_version BIGINT, \n\tCONSTRAINT pk_knowledge_entries PRIMARY KEY '
    '(id)\n)',
    'CREATE TABLE catalogue_entries (\n\tid VARCHAR(36) NOT NULL, \n\tkind VARCHAR(64), \n'
    '\tcode VARCHAR(32), \n\tsla_days INTEGER, \n\ttext TEXT, \n\tposition INTEGER, \n\tactive '
    'BOOLEAN, \n\tsync_version BIGINT, name VARCHAR(32), name_en VARCHAR(64), \n\tCONSTRAINT '
    'pk_catalogue_entries PRIMARY KEY (id)\n)',
    'CREATE VIRTUAL TABLE household_fts USING fts5(head, head_initials, head_part, '
    "people, people_initials, people_part, place, content='', columnsize=0, "
    "detail=column, tokenize='unicode61 remove_diacritics 0', prefix='1 2 3')",
    "CREATE VIRTUAL TABLE household_phones USING fts5(phones, content='', "
    "contentless_delete=1, tokenize='trigram')",
    "CREATE VIRTUAL TABLE household_numbers USING fts5(ids, content='', "
    "contentless_delete=1, detail=column, tokenize='unicode61 remove_diacritics 0')",
    'CREATE INDEX ix_conflicts_entity_record_id ON conflicts (entity, record_id)',
    'CREATE INDEX ix_households_estate_building ON households (estate, building)',
    'CREATE INDEX ix_households_grid_id ON households (grid_id)',
    'CREATE INDEX ix_inbox_messages_grid_id ON inbox_messages (grid_id)',
    'CREATE INDEX ix_inbox_messages_status ON inbox_messages (status)',
    'CREATE INDEX ix_outbox_entity_record_id ON outbox (entity, record_id)',
    'CREATE INDEX ix_residents_household_id ON residents (household_id)',
    'CREATE INDEX ix_ticket_events_ticket_id_at ON ticket_events (ticket_id, at)',
    'CREATE INDEX ix_tickets_assignee_id ON tickets (assignee_id)',
    'CREATE INDEX ix_tickets_grid_id ON tickets (grid_id)',
    'CREATE INDEX ix_tickets_status ON tickets (status)',
    'CREATE INDEX ix_visits_household_id_visited_at ON visits (household_id, visited_at)',
    'CREATE INDEX ix_drafts_kind_record_id ON drafts (kind, record_id)',
    'CREATE INDEX ix_search_docs_sort_address ON search_docs (sort_address)',
    'CREATE INDEX ix_search_docs_sort_name ON search_docs (sort_name)',
    'CREATE INDEX ix_tickets_household_id_status ON tickets (household_id, status)',
    'CREATE INDEX ix_consultation_comments_consultation_id_received_at ON '
    'consultation_comments (consultation_id, received_at)',
    'CREATE INDEX ix_consultation_meetings_consultation_id ON consultation_meetings '
    '(consultation_id)',
    'CREATE INDEX ix_consultations_community_id_stage ON consultations (community_id, '
    'stage)',
    'CREATE INDEX ix_questionnaire_responses_questionnaire_id_grid_id ON '
    'questionnaire_responses (questionnaire_id, grid_id)',
    'CREATE INDEX ix_questionnaires_community_id_status ON questionnaires (community_id, '
    'status)',
    'CREATE INDEX ix_volunteer_activities_community_id_starts_at ON volunteer_activities '
    '(community_id, starts_at)',
    'CREATE INDEX ix_volunteers_community_id ON volunteers (community_id)',
    'CREATE TRIGGER search_household_inserted AFTER INSERT ON households BEGIN INSERT '
    'INTO search_dirty (household_id) SELECT new.id WHERE new.id IS NOT NULL AND NOT '
    'EXISTS (SELECT 1 FROM search_dirty WHERE household_id = new.id); END',
    'CREATE TRIGGER search_household_updated AFTER UPDATE ON households WHEN '
    'old.head_name IS NOT new.head_name OR old.estate IS NOT new.estate OR old.building '
    'IS NOT new.building OR old.unit IS NOT new.unit OR old.room IS NOT new.room OR '
    'old.address IS NOT new.address OR old.phone IS NOT new.phone OR old.tags IS NOT '
    'new.tags OR old.visit_cadence_days IS NOT new.visit_cadence_days OR '
    'old.last_visit_at IS NOT new.last_visit_at BEGIN INSERT INTO search_dirty '
    '(household_id) SELECT new.id WHERE new.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM '
    'search_dirty WHERE household_id = new.id); END',
    'CREATE TRIGGER search_household_deleted AFTER DELETE ON households BEGIN INSERT '
    'INTO search_dirty (household_id) SELECT old.id WHERE old.id IS NOT NULL AND NOT '
    'EXISTS (SELECT 1 FROM search_dirty WHERE household_id = old.id); END',
    'CREATE TRIGGER search_resident_inserted AFTER INSERT ON residents BEGIN INSERT INTO '
    'search_dirty (household_id) SELECT new.household_id WHERE new.household_id IS NOT '
    'NULL AND NOT EXISTS (SELECT 1 FROM search_dirty WHERE household_id = '
    'new.household_id); END',
    'CREATE TRIGGER search_resident_updated AFTER UPDATE ON residents WHEN '
    'old.household_id IS NOT new.household_id OR old.name IS NOT new.name OR old.phone '
    'IS NOT new.phone OR old.id_number IS NOT new.id_number BEGIN INSERT INTO '
    'search_dirty (household_id) SELECT old.household_id WHERE old.household_id IS NOT '
    'NULL AND NOT EXISTS (SELECT 1 FROM search_dirty WHERE household_id = '
    'old.household_id); INSERT INTO search_dirty (household_id) SELECT new.household_id '
    'WHERE new.household_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM search_dirty WHERE '
    'household_id = new.household_id); END',
    'CREATE TRIGGER search_resident_deleted AFTER DELETE ON residents BEGIN INSERT INTO '
    'search_dirty (household_id) SELECT old.household_id WHERE old.household_id IS NOT '
    'NULL AND NOT EXISTS (SELECT 1 FROM search_dirty WHERE household_id = '
    'old.household_id); END',
    'CREATE TRIGGER search_visit_inserted AFTER INSERT ON visits BEGIN INSERT INTO '
    'search_dirty (household_id) SELECT new.household_id WHERE new.household_id IS NOT '
    'NULL AND NOT EXISTS (SELECT 1 FROM search_dirty WHERE household_id = '
    'new.household_id); END',
    'CREATE TRIGGER search_visit_updated AFTER UPDATE ON visits WHEN old.household_id IS '
    'NOT new.household_id OR old.visited_at IS NOT new.visited_at BEGIN INSERT INTO '
    'search_dirty (household_id) SELECT old.household_id WHERE old.household_id IS NOT '
    'NULL AND NOT EXISTS (SELECT 1 FROM search_dirty WHERE household_id = '
    'old.household_id); INSERT INTO search_dirty (household_id) SELECT new.household_id '
    'WHERE new.household_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM search_dirty WHERE '
    'household_id = new.household_id); END',
    'CREATE TRIGGER search_visit_deleted AFTER DELETE ON visits BEGIN INSERT INTO '
    'search_dirty (household_id) SELECT old.household_id WHERE old.household_id IS NOT '
    'NULL AND NOT EXISTS (SELECT 1 FROM search_dirty WHERE household_id = '
    'old.household_id); END',
    'INSERT INTO "household_fts" ("household_fts", rank) VALUES (\'automerge\', 8)',
    'INSERT INTO "household_fts" ("household_fts", rank) VALUES (\'pgsz\', 3960)',
    'INSERT INTO "household_phones" ("household_phones", rank) VALUES (\'automerge\', 8)',
    'INSERT INTO "household_phones" ("household_phones", rank) VALUES (\'pgsz\', 3960)',
    'INSERT INTO "household_numbers" ("household_numbers", rank) VALUES (\'automerge\', 8)',
    'INSERT INTO "household_numbers" ("household_numbers", rank) VALUES (\'pgsz\', 3960)',
    "INSERT INTO alembic_version (version_num) VALUES ('0021')",
)
