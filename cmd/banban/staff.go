package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/banban-gov/banban"
)

const staffUsage = `用法：
  banban staff add 用户名 [--name 姓名] [--team 工作组,...]   新增或重置工作人员账号（从标准输入读取密码）
  banban staff list                                          列出工作人员
  banban staff disable 用户名 | enable 用户名                 停用或恢复账号
  banban staff team 编号 [--name 名称] [--departments 部门,...] [--general]
                                                             新增或修改工作组（按事项所属部门派单；--general 为兜底组）
  banban staff teams                                         列出工作组`

// stdin is where passwords are read from (tests replace it).
var stdin io.Reader = os.Stdin

// cmdStaff manages staff accounts and teams, so the first account needs
// no console.
func cmdStaff(ctx context.Context, cfg Config, logger *slog.Logger, args []string) error {
	if len(args) == 0 {
		return errors.New(staffUsage)
	}
	fs := newFlags("staff " + args[0])
	name := fs.String("name", "", "姓名或名称")
	teams := fs.String("team", "", "所属工作组编号，逗号分隔")
	depts := fs.String("departments", "", "工作组负责的部门，逗号分隔")
	general := fs.Bool("general", false, "兜底工作组：其他组不接的转人工都到这里")
	fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "数据目录")
	fs.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "PostgreSQL 连接串")
	if err := fs.Parse(reorder(args[1:])); err != nil {
		return err
	}
	app, err := Open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer app.Close()
	d := app.Desk
	switch {
	case args[0] == "add" && fs.NArg() == 1:
		password, err := readPassword(stdin)
		if err != nil {
			return err
		}
		s, err := d.AddStaff(ctx, fs.Arg(0), *name, password, splitList(*teams))
		if err != nil {
			return err
		}
		fmt.Printf("已保存工作人员 %s（%s），工作组：%s\n", s.Username, s.Name, strings.Join(s.Teams, "、"))
		return nil
	case (args[0] == "disable" || args[0] == "enable") && fs.NArg() == 1:
		if err := d.SetStaffDisabled(ctx, fs.Arg(0), args[0] == "disable"); err != nil {
			return err
		}
		fmt.Printf("已%s账号 %s\n", map[bool]string{true: "停用", false: "恢复"}[args[0] == "disable"], fs.Arg(0))
		return nil
	case args[0] == "team" && fs.NArg() == 1:
		return d.PutTeam(ctx, banban.Team{ID: fs.Arg(0), Name: *name, Departments: splitList(*depts), General: *general})
	case args[0] == "list" && fs.NArg() == 0:
		return listStaff(ctx, app, os.Stdout)
	case args[0] == "teams" && fs.NArg() == 0:
		return listTeams(ctx, app, os.Stdout)
	}
	return errors.New(staffUsage)
}

// reorder moves flags ahead of positional arguments, so both
// "add zhang --name 张三" and "add --name 张三 zhang" work.
func reorder(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--general" || a == "-general":
			flags = append(flags, a)
		case strings.HasPrefix(a, "-") && !strings.Contains(a, "="):
			flags = append(flags, a)
			if i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		case strings.HasPrefix(a, "-"):
			flags = append(flags, a)
		default:
			pos = append(pos, a)
		}
	}
	return append(flags, pos...)
}

// readPassword reads the password from the first line of r (a pipe or the
// terminal), so it never appears in the shell history or process list.
func readPassword(r io.Reader) (string, error) {
	fmt.Fprint(os.Stderr, "请输入密码（至少 8 个字符）：")
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("未读到密码：请在标准输入中提供")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func listStaff(ctx context.Context, app *App, w io.Writer) error {
	list, err := app.Desk.StaffList(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "用户名\t姓名\t工作组\t状态")
	for _, s := range list {
		state := "正常"
		if s.Disabled {
			state = "已停用"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Username, s.Name, strings.Join(s.Teams, "、"), state)
	}
	return tw.Flush()
}

func listTeams(ctx context.Context, app *App, w io.Writer) error {
	teams, err := app.Desk.Teams(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "编号\t名称\t负责部门\t兜底")
	for _, t := range teams {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%v\n", t.ID, t.Name, strings.Join(t.Departments, "、"), map[bool]string{true: "是", false: ""}[t.General])
	}
	return tw.Flush()
}
