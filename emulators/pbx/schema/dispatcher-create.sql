-- PBX SIMULATOR: Kamailio 5.6's own dispatcher-create.sql (from /usr/share/kamailio/postgres),
-- copied unchanged so the Kamailio adapter finds the tables and columns it writes.
-- runtime/kamailio/database.ts loads this folder as it loads Kamailio's.

CREATE TABLE dispatcher (
    id SERIAL PRIMARY KEY NOT NULL,
    setid INTEGER DEFAULT 0 NOT NULL,
    destination VARCHAR(192) DEFAULT '' NOT NULL,
    flags INTEGER DEFAULT 0 NOT NULL,
    priority INTEGER DEFAULT 0 NOT NULL,
    attrs VARCHAR(128) DEFAULT '' NOT NULL,
    description VARCHAR(64) DEFAULT '' NOT NULL
);

INSERT INTO version (table_name, table_version) values ('dispatcher','4');

