-- The login budget, shared by restarts and instances: one row per service and identifier (locked
-- while an attempt is counted) and one row per login attempt within the longest window. The keys
-- stay within InnoDB's 3072-byte index limit: an ASCII service (512 bytes) and a utf8mb4 identifier
-- (an email may not be ASCII: up to 2048 bytes).
CREATE TABLE IF NOT EXISTS atproto_login_budget (
    service       VARCHAR(512) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    identifier    VARCHAR(512) NOT NULL,
    blocked_until DATETIME(6),
    CONSTRAINT pk_atproto_login_budget PRIMARY KEY (service, identifier)
) ENGINE = InnoDB DEFAULT CHARACTER SET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS atproto_login_attempt (
    id           BIGINT       NOT NULL AUTO_INCREMENT,
    service      VARCHAR(512) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    identifier   VARCHAR(512) NOT NULL,
    attempted_at DATETIME(6)  NOT NULL,
    CONSTRAINT pk_atproto_login_attempt PRIMARY KEY (id),
    INDEX ix_atproto_login_attempt (service, identifier, attempted_at)
) ENGINE = InnoDB DEFAULT CHARACTER SET = utf8mb4 COLLATE = utf8mb4_bin;
