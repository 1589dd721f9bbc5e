package core

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

const (
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	base62     = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)

// Id shapes. A taskId is 12 characters of [a-z0-9] (62 bits); prefixed ids carry 16 (82 bits).
const (
	taskIDLength   = 12
	prefixedLength = 16
	// KeyPrefix starts every API key.
	KeyPrefix = "sk-"
	// keyRandomLength is the number of base62 characters after KeyPrefix (238 bits).
	keyRandomLength = 40
	// keyShownPrefix is how many characters of a key are kept in clear, to recognise it in listings.
	keyShownPrefix = len(KeyPrefix) + 8
)

// randomString returns n characters drawn uniformly from alphabet with crypto/rand.
func randomString(alphabet string, n int) string {
	// Rejection sampling keeps every character equally likely: bytes at or above the largest multiple of
	// len(alphabet) are drawn again.
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/2)
	for len(out) < n {
		rand.Read(buf)
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}

func newTaskID() string          { return randomString(lowerAlnum, taskIDLength) }
func newID(prefix string) string { return prefix + randomString(lowerAlnum, prefixedLength) }
func newPlainKey() string        { return KeyPrefix + randomString(base62, keyRandomLength) }
func hashKey(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// newWebhookSecret returns a Standard Webhooks secret: "whsec_" and 24 random bytes in base64.
func newWebhookSecret() string {
	b := make([]byte, 24)
	rand.Read(b)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// wellFormedKey reports whether key looks like an API key: KeyPrefix and 32 to 128 characters of
// [A-Za-z0-9_-].
func wellFormedKey(key string) bool {
	// Shaped like a key: sk- and key characters. A wrong length is an unknown key, not a malformed one.
	rest, ok := strings.CutPrefix(key, KeyPrefix)
	if !ok || len(rest) == 0 || len(rest) > 128 {
		return false
	}
	for _, c := range rest {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
