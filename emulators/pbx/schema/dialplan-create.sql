-- PBX SIMULATOR: Kamailio 5.6's own dialplan-create.sql (from /usr/share/kamailio/postgres),
-- copied unchanged so the Kamailio adapter finds the tables and columns it writes.
-- runtime/kamailio/database.ts loads this folder as it loads Kamailio's.

CREATE TABLE dialplan (
    id SERIAL PRIMARY KEY NOT NULL,
    dpid INTEGER NOT NULL,
    pr INTEGER NOT NULL,
    match_op INTEGER NOT NULL,
    match_exp VARCHAR(64) NOT NULL,
    match_len INTEGER NOT NULL,
    subst_exp VARCHAR(64) NOT NULL,
    repl_exp VARCHAR(256) NOT NULL,
    attrs VARCHAR(64) NOT NULL
);

INSERT INTO version (table_name, table_version) values ('dialplan','2');

