-- An application's own migration, to show that it and the starter's migrations both apply.
CREATE TABLE app_note (
    id   BIGINT PRIMARY KEY,
    text VARCHAR(200) NOT NULL
);
