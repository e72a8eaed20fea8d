package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/banban-gov/banban/bot/langchain"
	"github.com/banban-gov/banban/evals"
)

// cmdEval builds a fresh store from a knowledge-base directory, runs the
// cases through Banban and the langchaingo baseline, writes Banban's results
// and prints both sets of metrics side by side. With --forms it runs
// form-filling conversations instead (evals/forms.jsonl).
func cmdEval(ctx context.Context, cfg Config, logger *slog.Logger, args []string) error {
	fs := newFlags("eval")
	var o evalOpts
	fs.StringVar(&o.kb, "kb", "", "知识库目录（必填）")
	fs.StringVar(&o.cases, "cases", "", "问答评测用例文件（与 --forms 二选一）")
	fs.StringVar(&o.forms, "forms", "", "表单填写评测用例文件（与 --cases 二选一）")
	fs.StringVar(&o.out, "out", "", "结果输出文件（JSON Lines）")
	fs.StringVar(&o.gate, "gate", "", "回归门槛，如 strict_pass=0.85,hit@3=0.9；表单评测用 field_accuracy=0.95,state_accuracy=0.9")
	fs.BoolVar(&o.baseline, "baseline", true, "同时运行 langchaingo 基线并对比（仅问答评测）")
	fs.StringVar(&o.metricsOut, "metrics-out", "", "把本次指标写入 JSON 文件")
	fs.StringVar(&o.match, "match", "", "与该 JSON 文件中的指标比较，任一指标相差超过 0.02 即失败（用于比较两种存储）")
	fs.StringVar(&o.name, "name", "", "评测名称（默认取用例文件所在目录名）")
	fs.StringVar(&o.now, "now", "", "以该日期（2006-01-02）作为“今天”评测，使依赖日期的用例（有效期、明年）可复现；默认今天")
	llmFlags(fs, &cfg)
	fs.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "PostgreSQL 连接串（每次评测使用一个新建后删除的 schema）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.kb == "" || (o.cases == "") == (o.forms == "") {
		return errors.New("用法：banban eval --kb 目录 (--cases 文件 | --forms 文件) [--out 文件] [--gate 指标=下限,...]")
	}
	if o.name == "" {
		o.name = filepath.Base(filepath.Dir(o.cases + o.forms))
	}
	if o.forms != "" {
		return evalForms(ctx, cfg, logger, o)
	}
	return evalQA(ctx, cfg, logger, o)
}

// evalOpts are cmdEval's flags.
type evalOpts struct {
	kb, cases, forms, out, gate, metricsOut, match, name, now string
	baseline                                                  bool
}

func evalQA(ctx context.Context, cfg Config, logger *slog.Logger, o evalOpts) error {
	gate, err := evals.ParseGate(o.gate)
	if err != nil {
		return err
	}
	cases, err := evals.LoadCases(o.cases)
	if err != nil {
		return err
	}
	app, done, err := openEvalApp(ctx, cfg, logger, o)
	if err != nil {
		return err
	}
	defer done()
	results, err := evals.Run(ctx, app.Bot, cases)
	if err != nil {
		return err
	}
	if o.out != "" {
		if err := writeFile(o.out, func(w io.Writer) error { return evals.WriteResults(w, results) }); err != nil {
			return err
		}
	}
	names := []string{"banban"}
	ms := []evals.Metrics{evals.Compute(cases, results)}
	if o.baseline {
		bl, err := evals.NewBaseline(ctx, os.DirFS(o.kb), app.Embedder, langchain.SplitText)
		if err != nil {
			return fmt.Errorf("build baseline: %w", err)
		}
		bres, err := evals.Run(ctx, bl, cases)
		if err != nil {
			return err
		}
		names = append(names, "baseline")
		ms = append(ms, evals.Compute(cases, bres))
	}
	evals.WriteTable(os.Stdout, "== "+o.name, names, ms)
	if o.metricsOut != "" {
		if err := evals.WriteMetrics(o.metricsOut, ms[0]); err != nil {
			return err
		}
	}
	fails := gate.Check(ms[0])
	if o.match != "" {
		want, err := evals.ReadMetrics(o.match)
		if err != nil {
			return err
		}
		fails = append(fails, evals.Match(ms[0], want, matchTolerance)...)
	}
	if len(ms) > 1 {
		fails = append(fails, evals.Beats(ms[0], ms[1])...)
	}
	return gateError(o.name, fails)
}

// openEvalApp opens Banban on a new temporary store (a new schema on
// PostgreSQL), imports the knowledge base and sets the clock from --now.
func openEvalApp(ctx context.Context, cfg Config, logger *slog.Logger, o evalOpts) (*App, func(), error) {
	var clock func() time.Time
	if o.now != "" {
		day, err := time.ParseInLocation(time.DateOnly, o.now, time.FixedZone("CST", 8*3600))
		if err != nil {
			return nil, nil, fmt.Errorf("--now %q：日期格式应为 2006-01-02", o.now)
		}
		clock = func() time.Time { return day.Add(12 * time.Hour) }
	}
	var cleanup []func()
	done := func() {
		for _, f := range slices.Backward(cleanup) {
			f()
		}
	}
	tmp, err := os.MkdirTemp("", "banban-eval-*")
	if err != nil {
		return nil, nil, fmt.Errorf("create temporary store: %w", err)
	}
	cleanup = append(cleanup, func() { os.RemoveAll(tmp) })
	cfg.DataDir = tmp
	if cfg.DatabaseURL != "" {
		drop, err := freshSchema(ctx, &cfg)
		if err != nil {
			done()
			return nil, nil, err
		}
		cleanup = append(cleanup, drop)
		cfg.BulkImport = true
	}
	app, err := Open(ctx, cfg, logger)
	if err != nil {
		done()
		return nil, nil, err
	}
	cleanup = append(cleanup, func() { app.Close() })
	rep, err := app.Importer().Import(ctx, os.DirFS(o.kb), false)
	printReport(os.Stderr, rep)
	if err != nil {
		done()
		return nil, nil, fmt.Errorf("import %s: %w", o.kb, err)
	}
	if clock != nil {
		app.Bot.Now, app.Searcher.Now, app.Desk.Now = clock, clock, clock
	}
	return app, done, nil
}

func gateError(name string, fails []string) error {
	if len(fails) > 0 {
		return fmt.Errorf("%s 未达到回归门槛：%s", name, strings.Join(fails, "；"))
	}
	return nil
}

// matchTolerance is how far a metric may differ between two stores given
// the same knowledge base and cases.
const matchTolerance = 0.02

// writeFile creates path (and its directory) and writes it with write.
func writeFile(path string, write func(io.Writer) error) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", dir, err)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
