-- An application's own migration, to show that it and the starter's migrations both apply. Written
-- for every database the suite runs on (Oracle has no BIGINT).
CREATE TABLE app_note (
    id   INTEGER PRIMARY KEY,
    text VARCHAR(200) NOT NULL
);
