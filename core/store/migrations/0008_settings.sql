-- Deployment-wide settings every process of a cluster reads: the public URL written by `serve`, so that
-- workers on other machines build the same result and webhook URLs.
CREATE TABLE deployment_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
