-- Encryption at rest: the id of the key a row's session_string is encrypted with (null: plain text,
-- as written before encryption was turned on; re-encrypted at the next save).
ALTER TABLE atproto_session ADD COLUMN key_id VARCHAR(64);

-- The login budget keyed by account: an identifier (handle or email) once seen to name an account
-- points at the account's DID, whose row holds the attempts of all of them.
ALTER TABLE atproto_login_budget ADD COLUMN account VARCHAR(512);
