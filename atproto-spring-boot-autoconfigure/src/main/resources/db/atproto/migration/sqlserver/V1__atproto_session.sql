-- The atproto session store on SQL Server (2016 or newer): one row per service and account.
-- session_string holds both tokens: VARCHAR(MAX), since VARCHAR stops at 8000. service and did are
-- ASCII (URLs and DIDs are); their unique key (up to 1024 bytes) fits the 1700-byte limit of a
-- nonclustered index. They compare as the database's collation says (usually ignoring case, which
-- DIDs and host names allow). Handles and emails may be Unicode.
CREATE TABLE atproto_session (
    id                 BIGINT IDENTITY(1, 1) NOT NULL,
    service            VARCHAR(512)      NOT NULL,
    did                VARCHAR(512)      NOT NULL,
    handle             NVARCHAR(512)     NOT NULL,
    email              NVARCHAR(320),
    session_string     VARCHAR(MAX)      NOT NULL,
    access_expires_at  DATETIMEOFFSET(7),
    refresh_expires_at DATETIMEOFFSET(7),
    updated_at         DATETIMEOFFSET(7) NOT NULL,
    version            BIGINT            NOT NULL,
    CONSTRAINT pk_atproto_session PRIMARY KEY (id),
    CONSTRAINT uk_atproto_session_service_did UNIQUE (service, did)
);
