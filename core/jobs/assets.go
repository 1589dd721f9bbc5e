package jobs

import "github.com/framecast/framecast/render/assets"

// assetOptions are the media fetching settings of a render for the account (see core.Service.AssetOptions).
func (q *Queue) assetOptions(accountID string) assets.Options {
	return q.svc.AssetOptions(accountID, q.cfg.AssetCacheDir)
}
