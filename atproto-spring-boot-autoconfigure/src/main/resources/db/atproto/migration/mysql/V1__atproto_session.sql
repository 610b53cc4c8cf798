-- The atproto session store on MySQL and MariaDB: one row per service and account. session_string holds both
-- tokens. The character set is spelled out because servers still default to latin1. service and did are
-- ASCII (URLs and DIDs are) and compared exactly, as on the other databases; at one byte a character they
-- keep the unique key within InnoDB's 3072-byte index limit, where utf8mb4 would need up to 4096 bytes.
CREATE TABLE IF NOT EXISTS atproto_session (
    id                 BIGINT        NOT NULL AUTO_INCREMENT,
    service            VARCHAR(512)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    did                VARCHAR(512)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    handle             VARCHAR(512)  NOT NULL,
    email              VARCHAR(320),
    session_string     VARCHAR(8192) NOT NULL,
    access_expires_at  DATETIME(6),
    refresh_expires_at DATETIME(6),
    updated_at         DATETIME(6)   NOT NULL,
    version            BIGINT        NOT NULL,
    CONSTRAINT pk_atproto_session PRIMARY KEY (id),
    CONSTRAINT uk_atproto_session_service_did UNIQUE (service, did)
) ENGINE = InnoDB DEFAULT CHARACTER SET = utf8mb4 COLLATE = utf8mb4_bin;
