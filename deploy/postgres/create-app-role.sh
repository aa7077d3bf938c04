#!/bin/sh
# Runs once, when the app database is first created (docker-entrypoint-initdb.d): the application
# role Butler's API and worker connect as. It is created with LOGIN and nothing else; the owner
# (POSTGRES_USER, DATABASE_OWNER_URL) runs the migrations and grants it what it needs (db/roles.ts).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v role="$BUTLER_APP_DB_ROLE" -v password="$BUTLER_APP_DB_PASSWORD" <<'SQL'
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';
SQL
