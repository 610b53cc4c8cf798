-- The login budget, shared by restarts and instances: one row per service and identifier (locked
-- while an attempt is counted) and one row per login attempt within the longest window. The key of
-- atproto_login_budget (up to 1536 bytes: an ASCII service and an identifier that may be a Unicode
-- email) is a unique constraint, whose index is nonclustered (limit 1700 bytes), not a primary key,
-- whose clustered index would stop at 900 bytes.
CREATE TABLE atproto_login_budget (
    service       VARCHAR(512)      NOT NULL,
    identifier    NVARCHAR(512)     NOT NULL,
    blocked_until DATETIMEOFFSET(7),
    CONSTRAINT uk_atproto_login_budget UNIQUE (service, identifier)
);

CREATE TABLE atproto_login_attempt (
    id           BIGINT IDENTITY(1, 1) NOT NULL,
    service      VARCHAR(512)      NOT NULL,
    identifier   NVARCHAR(512)     NOT NULL,
    attempted_at DATETIMEOFFSET(7) NOT NULL,
    CONSTRAINT pk_atproto_login_attempt PRIMARY KEY (id)
);

CREATE INDEX ix_atproto_login_attempt ON atproto_login_attempt (service, identifier, attempted_at);
