package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
	"github.com/banban-gov/banban/knowledge"
	"github.com/banban-gov/banban/knowledge/samplekb"
)

func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	return fs
}

// cmdImport imports a knowledge-base directory.
func cmdImport(ctx context.Context, cfg Config, logger *slog.Logger, args []string) error {
	fs := newFlags("kb import")
	prune := fs.Bool("prune", false, "删除源文件已不存在的文档")
	fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "数据目录")
	fs.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "PostgreSQL 连接串")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("用法：banban kb import [--prune] 目录")
	}
	dir := fs.Arg(0)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("知识库目录 %s 不存在或不是目录", dir)
	}
	cfg.BulkImport = true
	app, err := Open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer app.Close()
	rep, err := app.Importer().Import(ctx, os.DirFS(dir), *prune)
	printReport(os.Stdout, rep)
	if err != nil {
		return fmt.Errorf("导入中断：%w", err)
	}
	if len(rep.Errors) > 0 {
		return fmt.Errorf("%d 个文件导入失败，其余已导入", len(rep.Errors))
	}
	return nil
}

func printReport(w io.Writer, rep knowledge.Report) {
	fmt.Fprintf(w, "文件 %d 个：导入 %d，未变化 %d，删除 %d，失败 %d；共 %d 个分段\n",
		rep.Files, rep.Imported, rep.Unchanged, rep.Removed, len(rep.Errors), rep.Chunks)
	for _, fe := range rep.Errors {
		fmt.Fprintf(w, "  失败 %s：%s\n", fe.Path, errorText(fe.Err))
	}
}

// cmdAsk answers questions at the command line, as one conversation.
func cmdAsk(ctx context.Context, cfg Config, logger *slog.Logger, args []string) error {
	fs := newFlags("ask")
	fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "数据目录")
	llmFlags(fs, &cfg)
	fs.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "PostgreSQL 连接串")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New(`用法：banban ask "问题" ["追问" ...]`)
	}
	app, err := Open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer app.Close()
	if err := app.loadSampleIfEmpty(ctx); err != nil {
		return err
	}
	return app.ask(ctx, os.Stdout, fs.Args())
}

// ask sends questions through the desk as one conversation, as a citizen
// would (so 我要办 fills in a form and 转人工 asks for staff), and prints
// each answer, the desk's notices and, at the end, the form draft's state.
func (a *App) ask(ctx context.Context, w io.Writer, questions []string) error {
	id := ""
	var last banban.Conversation
	for _, q := range questions {
		out, err := a.Desk.Send(ctx, desk.Incoming{ConversationID: id, Channel: "cli", Text: q}, nil)
		if err != nil {
			return err
		}
		id, last = out.Conversation.ID, out.Conversation
		ans := banban.Answer{Action: "", Text: "（已转人工，机器人暂不回答）"}
		if out.Answer != nil {
			ans = *out.Answer
		}
		printAnswer(w, q, ans)
		for _, n := range out.Notices {
			fmt.Fprintf(w, "提示：%s\n", n.Text)
		}
	}
	if d := last.Draft; d != nil {
		fmt.Fprintf(w, "申请表：《%s》，状态 %s，已填 %d 项\n", d.Title, d.State, len(d.Values))
	}
	return nil
}

func printAnswer(w io.Writer, q string, a banban.Answer) {
	fmt.Fprintf(w, "问：%s\n动作：%s\n%s\n", q, a.Action, a.Text)
	for i, c := range a.Citations {
		fmt.Fprintf(w, "来源 %d：%s《%s》%s（%.4f）\n", i+1, c.DocID, c.Title, c.Section, c.Score)
	}
	fmt.Fprintln(w, strings.Repeat("-", 40))
}

// loadSampleIfEmpty imports the shipped sample knowledge base into an empty
// store, so a fresh install answers questions at once.
func (a *App) loadSampleIfEmpty(ctx context.Context) error {
	st, err := a.Store.Stats(ctx)
	if err != nil {
		return fmt.Errorf("read store stats: %w", err)
	}
	if st.Documents > 0 {
		return nil
	}
	rep, err := a.Importer().Import(ctx, samplekb.FS(), false)
	if err != nil {
		return fmt.Errorf("import sample knowledge base: %w", err)
	}
	a.Logger.Info("sample knowledge base imported", slog.Int("documents", rep.Imported),
		slog.Int("chunks", rep.Chunks), slog.Int("errors", len(rep.Errors)))
	return nil
}

// cmdServe runs the HTTP API until interrupted.
func cmdServe(ctx context.Context, cfg Config, logger *slog.Logger, args []string) error {
	fs := newFlags("serve")
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "监听地址")
	fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "数据目录")
	llmFlags(fs, &cfg)
	fs.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "PostgreSQL 连接串")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		if err := migrate(ctx, cfg); err != nil {
			return err
		}
	}
	app, err := Open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer app.Close()
	if err := app.loadSampleIfEmpty(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	return app.serve(ctx, ln)
}
