package warehouse

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// KeyEnv names the environment variable that may hold the pseudonymisation key.
const KeyEnv = "MINGDENG_KEY"

// KeyPath is the key file that belongs to a warehouse: beside it, never inside it, so a copy
// of the warehouse alone cannot be used to re-identify people by hashing candidate names.
func KeyPath(dbPath string) string {
	if dbPath == "" {
		dbPath = DefaultPath
	}
	return dbPath + ".key"
}

// EnsureKey creates the key file for dbPath with 32 random bytes when it does not exist yet.
// It reports whether it created one.
func EnsureKey(dbPath string) (bool, error) {
	path := KeyPath(dbPath)
	if _, err := os.Stat(path); err == nil {
		return false, nil
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return false, nil
		}
		return false, fmt.Errorf("create key file %s: %w", path, err)
	}
	if _, err := f.WriteString(hex.EncodeToString(buf) + "\n"); err != nil {
		f.Close()
		return false, err
	}
	return true, f.Close()
}

// LoadKey returns the pseudonymisation key: MINGDENG_KEY when set, else the key file beside
// dbPath.
func LoadKey(dbPath string) ([]byte, error) {
	if k := strings.TrimSpace(os.Getenv(KeyEnv)); k != "" {
		return []byte(k), nil
	}
	path := KeyPath(dbPath)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pseudonymisation key: set %s or keep the key file %s (mingdeng init creates it): %w", KeyEnv, path, err)
	}
	k := strings.TrimSpace(string(b))
	if len(k) < 16 {
		return nil, fmt.Errorf("pseudonymisation key in %s is too short", path)
	}
	return []byte(k), nil
}
