// Command banban is Banban's server and tools: it imports knowledge bases,
// answers questions, serves the HTTP API and runs evaluations. Everything is
// wired here, explicitly, from one typed Config.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/banban-gov/banban"
)

const usage = `banban: 政务服务智能帮办

用法：
  banban serve [--addr 127.0.0.1:8080]        启动 HTTP 服务（首次启动自动导入示例知识库）
  banban kb import [--prune] 目录             导入知识库目录
  banban ask "问题" ["追问" ...]               在命令行提问（多个参数为同一会话的连续提问）
  banban eval --kb 目录 --cases 文件 [--out 文件] [--gate 指标=下限,...]
                                               评测，并与 langchaingo 基线对比
  banban migrate [--database-url URL]          升级 PostgreSQL 数据库结构
  banban staff add|list|disable|enable|team|teams
                                               管理帮办工作人员账号和工作组（运行 banban staff 查看用法）
以上命令均可用 --database-url（或环境变量 DATABASE_URL）改用 PostgreSQL 存储。
  banban help                                  显示本帮助
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "banban:", banban.MaskPII(errorText(err)))
		os.Exit(1)
	}
}

// errorText shows the safe message of a coded error with its cause, so an
// operator at the command line sees both.
func errorText(err error) string {
	var e *banban.Error
	if errors.As(err, &e) && e.Err != nil {
		return e.Message + "（" + e.Err.Error() + "）"
	}
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

func run(ctx context.Context, args []string) error {
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
		return err
	}
	logger := newLogger(cfg.LogLevel)
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		printEnvHelp()
		return errors.New("缺少子命令")
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, cfg, logger, args[1:])
	case "kb":
		if len(args) < 2 || args[1] != "import" {
			return errors.New("用法：banban kb import [--prune] 目录")
		}
		return cmdImport(ctx, cfg, logger, args[2:])
	case "ask":
		return cmdAsk(ctx, cfg, logger, args[1:])
	case "eval":
		return cmdEval(ctx, cfg, logger, args[1:])
	case "migrate":
		return cmdMigrate(ctx, cfg, logger, args[1:])
	case "staff":
		return cmdStaff(ctx, cfg, logger, args[1:])
	case "help", "-h", "--help":
		fmt.Print(usage)
		printEnvHelp()
		return nil
	}
	return fmt.Errorf("未知子命令 %q；运行 banban help 查看用法", args[0])
}

// newLogger logs text to standard error with personal data masked in every
// message and string attribute.
func newLogger(level slog.Level) *slog.Logger {
	return newLoggerTo(os.Stderr, level)
}

func newLoggerTo(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch a.Value.Kind() {
			case slog.KindString:
				a.Value = slog.StringValue(banban.MaskPII(a.Value.String()))
			case slog.KindAny:
				if err, ok := a.Value.Any().(error); ok {
					a.Value = slog.StringValue(banban.MaskPII(err.Error()))
				}
			}
			return a
		},
	}))
}
