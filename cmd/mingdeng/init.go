package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets/warehouse"
)

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
// says where both are.
func (a *app) initWarehouse(ctx context.Context) error {
	w, err := a.openWarehouse(ctx, warehouse.Options{Create: true})
	if err != nil {
		return err
	}
	version, err := w.SchemaVersion(ctx)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	created, err := warehouse.EnsureKey(a.dbPath)
	if err != nil {
		return err
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
