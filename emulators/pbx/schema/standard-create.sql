-- PBX SIMULATOR: Kamailio 5.6's own standard-create.sql (from /usr/share/kamailio/postgres),
-- copied unchanged so the Kamailio adapter finds the tables and columns it writes.
-- runtime/kamailio/database.ts loads this folder as it loads Kamailio's.

CREATE TABLE version (
    id SERIAL PRIMARY KEY NOT NULL,
    table_name VARCHAR(32) NOT NULL,
    table_version INTEGER DEFAULT 0 NOT NULL,
    CONSTRAINT version_table_name_idx UNIQUE (table_name)
);

INSERT INTO version (table_name, table_version) values ('version','1');

