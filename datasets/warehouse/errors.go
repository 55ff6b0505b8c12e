package warehouse

import (
	"errors"
	"fmt"

	"github.com/mingdeng/mingdeng/datasets"
)

// Sentinels the caller branches on; the *Error that wraps them carries the file and the message
// in both languages.
var (
	ErrInUse        = errors.New("warehouse is in use by another process")
	ErrNewerSchema  = errors.New("warehouse was made by a newer mingdeng")
	ErrNotFound     = errors.New("warehouse not found")
	ErrNotWarehouse = errors.New("not a mingdeng warehouse")
	ErrBadPath      = errors.New("warehouse path cannot be opened by DuckDB")
)

// Error is a warehouse failure the user must act on.
type Error struct {
	Kind    error // one of the sentinels
	Path    string
	Version int // for ErrNewerSchema: the file's schema version
	Known   int // for ErrNewerSchema: the newest version this build knows
	Err     error
}

func (e *Error) Error() string { return e.Message(datasets.En) }

// Unwrap lets errors.Is match both the sentinel and the driver's error.
func (e *Error) Unwrap() []error { return []error{e.Kind, e.Err} }

// Message is the user-facing text in lang.
func (e *Error) Message(lang datasets.Lang) string {
	var t datasets.Text
	switch e.Kind {
	case ErrInUse:
		t = datasets.T(
			fmt.Sprintf("数据仓库 %s 正被另一个进程使用（例如另一个 mingdeng 或 serve），请待其结束后重试", e.Path),
			fmt.Sprintf("warehouse is in use by another process: %s (another mingdeng, or serve, has it open); try again when it has finished", e.Path))
	case ErrNewerSchema:
		t = datasets.T(
			fmt.Sprintf("数据仓库 %s 的结构版本为 %d，比本程序支持的版本 %d 新；请升级 mingdeng 后再打开", e.Path, e.Version, e.Known),
			fmt.Sprintf("warehouse %s has schema version %d, newer than this mingdeng supports (%d); upgrade mingdeng to open it", e.Path, e.Version, e.Known))
	case ErrNotFound:
		t = datasets.T(
			fmt.Sprintf("找不到数据仓库 %s；请先运行 mingdeng init 创建，或用 --db 指定路径", e.Path),
			fmt.Sprintf("warehouse not found: %s; run mingdeng init first, or give its path with --db", e.Path))
	case ErrNotWarehouse:
		t = datasets.T(
			fmt.Sprintf("%s 不是 mingdeng 数据仓库（DuckDB 文件）", e.Path),
			fmt.Sprintf("%s is not a mingdeng warehouse (DuckDB file)", e.Path))
	case ErrBadPath:
		t = datasets.T(
			fmt.Sprintf("数据仓库路径 %s 含有 ?、# 或 %% 字符：DuckDB 会把 ? 之后的部分当作连接选项，无法打开这样的文件；请把文件或文件夹改名，去掉这些字符", e.Path),
			fmt.Sprintf("warehouse path %s contains ?, # or %%: DuckDB reads what follows ? as connection options and cannot open such a file; rename the file or folder without these characters", e.Path))
	default:
		return fmt.Sprintf("%s: %v", e.Path, e.Err)
	}
	return t.In(lang)
}
