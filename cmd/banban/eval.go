package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/banban-gov/banban/bot/langchain"
	"github.com/banban-gov/banban/evals"
)

// cmdEval builds a fresh store from a knowledge-base directory, runs the
// cases through Banban and the langchaingo baseline, writes Banban's results
// and prints both sets of metrics side by side.
func cmdEval(ctx context.Context, cfg Config, logger *slog.Logger, args []string) error {
	fs := newFlags("eval")
	kb := fs.String("kb", "", "知识库目录（必填）")
	casesPath := fs.String("cases", "", "评测用例文件（必填）")
	out := fs.String("out", "", "结果输出文件（JSON Lines）")
	gateSpec := fs.String("gate", "", "回归门槛，如 strict_pass=0.85,hit@3=0.9")
	baseline := fs.Bool("baseline", true, "同时运行 langchaingo 基线并对比")
	metricsOut := fs.String("metrics-out", "", "把本次指标写入 JSON 文件")
	match := fs.String("match", "", "与该 JSON 文件中的指标比较，任一指标相差超过 0.02 即失败（用于比较两种存储）")
	name := fs.String("name", "", "评测名称（默认取用例文件所在目录名）")
	nowFlag := fs.String("now", "", "以该日期（2006-01-02）作为“今天”评测，使依赖日期的用例（有效期、明年）可复现；默认今天")
	llmFlags(fs, &cfg)
	fs.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "PostgreSQL 连接串（每次评测使用一个新建后删除的 schema）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *kb == "" || *casesPath == "" {
		return errors.New("用法：banban eval --kb 目录 --cases 文件 [--out 文件] [--gate 指标=下限,...]")
	}
	gate, err := evals.ParseGate(*gateSpec)
	if err != nil {
		return err
	}
	cases, err := evals.LoadCases(*casesPath)
	if err != nil {
		return err
	}
	if *name == "" {
		*name = filepath.Base(filepath.Dir(*casesPath))
	}
	tmp, err := os.MkdirTemp("", "banban-eval-*")
	if err != nil {
		return fmt.Errorf("create temporary store: %w", err)
	}
	defer os.RemoveAll(tmp)
	cfg.DataDir = tmp
	if cfg.DatabaseURL != "" {
		drop, err := freshSchema(ctx, &cfg)
		if err != nil {
			return err
		}
		defer drop()
		cfg.BulkImport = true
	}
	app, err := Open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer app.Close()
	rep, err := app.Importer().Import(ctx, os.DirFS(*kb), false)
	printReport(os.Stderr, rep)
	if err != nil {
		return fmt.Errorf("import %s: %w", *kb, err)
	}
	if *nowFlag != "" {
		day, err := time.ParseInLocation(time.DateOnly, *nowFlag, time.FixedZone("CST", 8*3600))
		if err != nil {
			return fmt.Errorf("--now %q：日期格式应为 2006-01-02", *nowFlag)
		}
		clock := func() time.Time { return day.Add(12 * time.Hour) }
		app.Bot.Now, app.Searcher.Now = clock, clock
	}
	results, err := evals.Run(ctx, app.Bot, cases)
	if err != nil {
		return err
	}
	if *out != "" {
		if err := writeResults(*out, results); err != nil {
			return err
		}
	}
	names := []string{"banban"}
	ms := []evals.Metrics{evals.Compute(cases, results)}
	if *baseline {
		bl, err := evals.NewBaseline(ctx, os.DirFS(*kb), app.Embedder, langchain.SplitText)
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
	evals.WriteTable(os.Stdout, "== "+*name, names, ms)
	if *metricsOut != "" {
		if err := evals.WriteMetrics(*metricsOut, ms[0]); err != nil {
			return err
		}
	}
	fails := gate.Check(ms[0])
	if *match != "" {
		want, err := evals.ReadMetrics(*match)
		if err != nil {
			return err
		}
		fails = append(fails, evals.Match(ms[0], want, matchTolerance)...)
	}
	if len(ms) > 1 {
		fails = append(fails, evals.Beats(ms[0], ms[1])...)
	}
	if len(fails) > 0 {
		return fmt.Errorf("%s 未达到回归门槛：%s", *name, strings.Join(fails, "；"))
	}
	return nil
}

// matchTolerance is how far a metric may differ between two stores given
// the same knowledge base and cases.
const matchTolerance = 0.02

func writeResults(path string, results []evals.Result) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", dir, err)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create results: %w", err)
	}
	if err := evals.WriteResults(f, results); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
