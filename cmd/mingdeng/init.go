package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
)

// checkInitKey refuses to go on with a key that cannot be right: MINGDENG_KEY too short or not
// the warehouse's key, or no key file for a warehouse that already holds pseudonyms (a new key
// would give its people other pseudonyms, and a re-ingested roster would double them).
func checkInitKey(ctx context.Context, w *warehouse.Warehouse, dbPath string) error {
	key, err := warehouse.LoadKey(dbPath)
	switch {
	case err == nil:
		stored, err := w.StoredKeyFingerprint(ctx)
		if err != nil {
			return err
		}
		if stored != "" && stored != warehouse.KeyFingerprint(key) {
			return &warehouse.KeyError{Kind: warehouse.ErrWrongKey, Text: datasets.T(
				fmt.Sprintf("化名密钥与数据仓库不符（仓库记录的密钥指纹为 %s，当前密钥为 %s）；请找回原密钥", stored, warehouse.KeyFingerprint(key)),
				fmt.Sprintf("the pseudonymisation key does not match the warehouse (it recorded the key fingerprint %s, this key's is %s); restore the original key", stored, warehouse.KeyFingerprint(key)))}
		}
		return nil
	case !errors.Is(err, warehouse.ErrNoKey):
		return err
	}
	holds, err := w.HoldsPseudonyms(ctx)
	if err != nil || !holds {
		return err
	}
	return &warehouse.KeyError{Kind: warehouse.ErrNoKey, Text: datasets.T(
		fmt.Sprintf("数据仓库 %s 已有化名的人员数据，但找不到它的密钥文件 %s：新建密钥会让同一人得到不同的化名，因此未创建；请找回原密钥文件放回原处，或设置 %s 为原密钥",
			w.Path(), warehouse.KeyPath(dbPath), warehouse.KeyEnv),
		fmt.Sprintf("the warehouse %s already holds pseudonymised people, but its key file %s is missing: a new key would give the same people other pseudonyms, so none was created; put the original key file back, or set %s to the original key",
			w.Path(), warehouse.KeyPath(dbPath), warehouse.KeyEnv))}
}

func newInitCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "init",
		Short: a.t("创建数据仓库（已存在则升级到最新结构）", "create the warehouse (or upgrade an existing one)"),
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.initWarehouse(cmd.Context())
		},
	}
}

// initWarehouse creates (or upgrades) the warehouse at --db and its key file beside it, and
// says where both are: init, and start on its first run.
func (a *app) initWarehouse(ctx context.Context) error {
	w, err := a.openWarehouse(ctx, warehouse.Options{Create: true})
	if err != nil {
		return err
	}
	version, err := w.SchemaVersion(ctx)
	if err == nil {
		err = checkInitKey(ctx, w, a.dbPath)
	}
	if err == nil {
		err = recordDeclaredHypotheses(ctx, a, w, "")
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	created := false
	if os.Getenv(warehouse.KeyEnv) == "" {
		if created, err = warehouse.EnsureKey(a.dbPath); err != nil {
			return err
		}
	}
	fmt.Fprintf(a.stdout, a.t("数据仓库已就绪：%s（结构版本 %d）\n", "warehouse ready: %s (schema version %d)\n"), w.Path(), version)
	if created {
		fmt.Fprintf(a.stdout, a.t(
			"已创建化名密钥文件：%s\n请妥善备份并与数据仓库分开保管：丢失后新导入的人员将无法与已有记录对应。\n",
			"created the pseudonymisation key file: %s\nback it up and keep it apart from the warehouse: without it, people in new files cannot be matched to existing records.\n"),
			warehouse.KeyPath(a.dbPath))
	}
	return nil
}
