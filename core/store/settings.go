package store

import "context"

// Names of deployment settings (SetSetting, Setting).
const (
	// SettingPublicURL is the base of the URLs the API returns, written by each `serve` at start and read by
	// workers started without --public-url.
	SettingPublicURL = "public_url"
)

// SetSetting stores a deployment-wide setting, replacing its value.
func (q queries) SetSetting(ctx context.Context, name, value string) error {
	_, err := q.exec(ctx, `INSERT INTO deployment_settings (name, value) VALUES (?, ?)
ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
	return wrap(err, "save setting "+name)
}

// Setting returns a deployment-wide setting, or ErrNotFound.
func (q queries) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := q.get(ctx, &v, `SELECT value FROM deployment_settings WHERE name = ?`, name)
	return v, wrap(err, "read setting "+name)
}
