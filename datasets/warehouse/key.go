package warehouse

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
)

// MinKeyLength is the shortest key accepted, from the key file or MINGDENG_KEY.
const MinKeyLength = 16

// Key errors the caller branches on.
var (
	ErrNoKey       = errors.New("no pseudonymisation key")
	ErrKeyTooShort = errors.New("pseudonymisation key too short")
	ErrWrongKey    = errors.New("pseudonymisation key differs from the warehouse's")
)

// KeyError is a key problem the user must act on, in both languages.
type KeyError struct {
	Kind error // ErrNoKey, ErrKeyTooShort or ErrWrongKey
	Text datasets.Text
	Err  error
}

func (e *KeyError) Error() string { return e.Text.En }

// Message is the user-facing text in lang.
func (e *KeyError) Message(lang datasets.Lang) string { return e.Text.In(lang) }

// Unwrap lets errors.Is match the sentinel and the cause.
func (e *KeyError) Unwrap() []error { return []error{e.Kind, e.Err} }

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
// dbPath. A key shorter than MinKeyLength is refused (ErrKeyTooShort) wherever it comes from;
// no key at all is ErrNoKey.
func LoadKey(dbPath string) ([]byte, error) {
	if k := strings.TrimSpace(os.Getenv(KeyEnv)); k != "" {
		if len(k) < MinKeyLength {
			return nil, &KeyError{Kind: ErrKeyTooShort, Text: datasets.T(
				fmt.Sprintf("环境变量 %s 中的化名密钥只有 %d 个字符，至少需要 %d 个", KeyEnv, len(k), MinKeyLength),
				fmt.Sprintf("the pseudonymisation key in %s has %d characters; at least %d are needed", KeyEnv, len(k), MinKeyLength))}
		}
		return []byte(k), nil
	}
	path := KeyPath(dbPath)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &KeyError{Kind: ErrNoKey, Err: err, Text: datasets.T(
			fmt.Sprintf("没有化名密钥：请设置 %s 或保留密钥文件 %s（mingdeng init 创建）", KeyEnv, path),
			fmt.Sprintf("no pseudonymisation key: set %s or keep the key file %s (mingdeng init creates it)", KeyEnv, path))}
	}
	k := strings.TrimSpace(string(b))
	if len(k) < MinKeyLength {
		return nil, &KeyError{Kind: ErrKeyTooShort, Text: datasets.T(
			fmt.Sprintf("密钥文件 %s 中的化名密钥只有 %d 个字符，至少需要 %d 个", path, len(k), MinKeyLength),
			fmt.Sprintf("the pseudonymisation key in %s has %d characters; at least %d are needed", path, len(k), MinKeyLength))}
	}
	return []byte(k), nil
}

// KeyFingerprint names a key without revealing it: an HMAC under the key of a fixed text,
// shortened to 64 bits. The warehouse stores it so that another key is recognised.
func KeyFingerprint(key []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("mingdeng key fingerprint"))
	return hex.EncodeToString(mac.Sum(nil)[:8])
}

// StoredKeyFingerprint returns the fingerprint of the key the warehouse's pseudonyms were made
// with, "" when none was recorded.
func (w *Warehouse) StoredKeyFingerprint(ctx context.Context) (string, error) {
	return storedFingerprint(ctx, w.db)
}

type queryer interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func storedFingerprint(ctx context.Context, q queryer) (string, error) {
	var fp string
	err := q.QueryRowContext(ctx, "SELECT fingerprint FROM _key ORDER BY recorded_at LIMIT 1").Scan(&fp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the key fingerprint: %w", err)
	}
	return fp, nil
}

// HoldsPseudonyms tells whether the warehouse has a key fingerprint or rows of a dataset with a
// personal column: then a new key would give the same people other pseudonyms.
func (w *Warehouse) HoldsPseudonyms(ctx context.Context) (bool, error) {
	fp, err := w.StoredKeyFingerprint(ctx)
	if err != nil || fp != "" {
		return fp != "", err
	}
	for _, c := range datasets.All() {
		personal := false
		for _, col := range c.Columns {
			personal = personal || col.Personal != datasets.NotPersonal
		}
		if !personal {
			continue
		}
		var any bool
		if err := w.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+QuoteIdent(c.Name)+")").Scan(&any); err != nil {
			return false, err
		}
		if any {
			return true, nil
		}
	}
	return false, nil
}

// CheckKey compares key with the warehouse's recorded fingerprint on q (a connection or
// transaction of w's database), recording it when there is none yet. Another key is
// ErrWrongKey: its pseudonyms would not match the people already loaded.
func CheckKey(ctx context.Context, q interface {
	queryer
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}, key []byte) error {
	fp := KeyFingerprint(key)
	stored, err := storedFingerprint(ctx, q)
	if err != nil {
		return err
	}
	if stored == "" {
		if _, err := q.ExecContext(ctx, "INSERT INTO _key VALUES (?, now())", fp); err != nil {
			return fmt.Errorf("record the key fingerprint: %w", err)
		}
		return nil
	}
	if stored != fp {
		return &KeyError{Kind: ErrWrongKey, Text: datasets.T(
			fmt.Sprintf("化名密钥与数据仓库不符（仓库中的人员用指纹为 %s 的密钥化名，当前密钥的指纹为 %s）：用这个密钥导入，同一人会得到不同的化名；请找回原密钥文件，或设置 %s 为原密钥", stored, fp, KeyEnv),
			fmt.Sprintf("the pseudonymisation key does not match the warehouse (its people were pseudonymised with the key of fingerprint %s, this key's is %s): with this key the same people would get other pseudonyms; restore the original key file, or set %s to the original key", stored, fp, KeyEnv))}
	}
	return nil
}
