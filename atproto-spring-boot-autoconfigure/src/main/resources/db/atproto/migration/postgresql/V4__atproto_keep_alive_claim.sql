-- Keeping idle sessions alive: the instance that refreshes a session whose refresh token nears its end
-- claims the row until this time, so that instances sharing the table refresh each account once.
ALTER TABLE atproto_session ADD COLUMN claimed_until TIMESTAMP WITH TIME ZONE;
