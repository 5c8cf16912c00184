package main

import (
	"fmt"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/jixiao/jixiao/internal/report"
)

// Everything an operator reads at run time is Chinese, cobra's own words
// included: the usage and help pages, the help and version flags, the help
// command, and the errors cobra writes for a mistyped command line. Flag
// names stay English.

const usageTemplate = `用法：{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} 命令{{end}}{{if gt (len .Aliases) 0}}

别名：
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

示例：
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

命令：{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

选项：
{{flagUsages .LocalFlags}}{{end}}{{if .HasAvailableInheritedFlags}}

通用选项：
{{flagUsages .InheritedFlags}}{{end}}{{if .HasAvailableSubCommands}}

运行“{{.CommandPath}} 命令 --help”查看命令的详细说明。{{end}}
`

const helpTemplate = `{{with (or .Long .Short)}}{{. | trimTrailingWhitespaces}}

{{end}}{{if or .Runnable .HasSubCommands}}{{.UsageString}}{{end}}`

// chineseHelp sets the Chinese templates, help flags and help command on
// root and every command under it.
func chineseHelp(root *cobra.Command) {
	cobra.AddTemplateFunc("flagUsages", flagUsages)
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetUsageTemplate(usageTemplate)
	root.SetHelpTemplate(helpTemplate)
	root.SetVersionTemplate("jixiao {{.Version}}\n")
	root.Flags().BoolP("version", "v", false, "显示版本")
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [命令]",
		Short: "显示命令的帮助",
		RunE: func(c *cobra.Command, args []string) error {
			target, _, err := root.Find(args)
			if err != nil || target == nil {
				return usageError("未知命令 %q", fmt.Sprint(args))
			}
			return target.Help()
		},
	})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.DisableFlagsInUseLine = true
		if c.Flags().Lookup("help") == nil {
			c.Flags().BoolP("help", "h", false, "显示帮助")
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// valueNames are the placeholders of a flag's value, by its type.
var valueNames = map[string]string{"string": "文本", "int": "数字", "int64": "数字", "duration": "时长", "stringSlice": "文本,…"}

// flagUsages lists flags as pflag does, in Chinese: the value's kind, the
// default after the usage, columns aligned by display width.
func flagUsages(fs *pflag.FlagSet) string {
	var names, usages []string
	widest := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		name := "    --" + f.Name
		if f.Shorthand != "" {
			name = "-" + f.Shorthand + ", --" + f.Name
		}
		if v := valueNames[f.Value.Type()]; v != "" {
			name += " " + v
		}
		usage := f.Usage
		if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "[]" {
			usage += "（默认 " + d + "）"
		}
		names, usages = append(names, name), append(usages, usage)
		widest = max(widest, report.DisplayWidth(name))
	})
	lines := make([]string, len(names))
	for i, n := range names {
		lines[i] = "  " + n + strings.Repeat(" ", widest-report.DisplayWidth(n)+3) + usages[i]
	}
	return strings.Join(lines, "\n")
}

// cobraErrors are cobra's and pflag's messages for a mistyped command line,
// with their Chinese.
var cobraErrors = []struct {
	re *regexp.Regexp
	zh string
}{
	{regexp.MustCompile(`^unknown command "([^"]*)" for "([^"]*)"`), `未知命令“$1”（运行“$2 --help”查看全部命令）`},
	{regexp.MustCompile(`^unknown flag: (\S+)`), `未知选项：$1`},
	{regexp.MustCompile(`^unknown shorthand flag: '(.)' in (\S+)`), `未知选项：-$1（在 $2 中）`},
	{regexp.MustCompile(`^flag needs an argument: (\S+)`), `选项 $1 需要一个值`},
	{regexp.MustCompile(`^flag needs an argument: '(.)' in (\S+)`), `选项 -$1 需要一个值`},
	{regexp.MustCompile(`^invalid argument "([^"]*)" for "([^"]*)" flag: .*`), `选项 $2 的值“$1”无效`},
	{regexp.MustCompile(`^accepts (\d+) arg\(s\), received (\d+)`), `需要 $1 个参数，收到 $2 个`},
	{regexp.MustCompile(`^accepts at most (\d+) arg\(s\), received (\d+)`), `最多 $1 个参数，收到 $2 个`},
	{regexp.MustCompile(`^accepts between (\d+) and (\d+) arg\(s\), received (\d+)`), `需要 $1 到 $2 个参数，收到 $3 个`},
	{regexp.MustCompile(`^requires at least (\d+) arg\(s\), only received (\d+)`), `至少需要 $1 个参数，只收到 $2 个`},
	{regexp.MustCompile(`^unknown command "([^"]*)" for "([^"]*)"`), `未知命令“$1”`},
}

// cobraErrorZH is a command-line error in Chinese; jixiao's own errors are
// already.
func cobraErrorZH(msg string) string {
	for _, e := range cobraErrors {
		if e.re.MatchString(msg) {
			return e.re.ReplaceAllString(msg, e.zh)
		}
	}
	return msg
}

func init() { rootCmd.AddCommand(newVersionCmd()) }

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "显示版本",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "jixiao %s\n", version)
			fmt.Fprintf(w, "Go %s，%s/%s\n", runtime.Version()[2:], runtime.GOOS, runtime.GOARCH)
			if info, ok := debug.ReadBuildInfo(); ok {
				for _, s := range info.Settings {
					switch s.Key {
					case "vcs.revision":
						fmt.Fprintf(w, "源代码版本：%s\n", s.Value)
					case "vcs.time":
						fmt.Fprintf(w, "提交时间：%s\n", s.Value)
					}
				}
			}
			return nil
		},
	}
}
