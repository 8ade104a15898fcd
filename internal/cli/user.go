package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/web"
)

// userCommand is `parley user`, which manages the inspector's logins.
func (a *app) userCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage the logins of the web inspector (/inspect)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(a.userAddCommand())
	return cmd
}

// userAddCommand is `parley user add NAME`.
func (a *app) userAddCommand() *cobra.Command {
	var dataDir string
	var replace bool
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Create a login for the web inspector",
		Long: "Creates a login for the inspector at /inspect, in the database of the data\n" +
			"directory that `parley run` uses. The password is asked for twice on a terminal,\n" +
			"or read from the first line of standard input otherwise; it is stored as a\n" +
			"bcrypt hash. Names are letters, digits and . _ @ -, and are not case-sensitive.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.addUser(cmd, args[0], dataDir, replace)
		},
	}
	cmd.Flags().StringVar(&dataDir, "data-dir", "",
		"the folder of Parley's database (default .parley in the project, or $PARLEY_DATA_DIR)")
	cmd.Flags().BoolVar(&replace, "replace", false,
		"give an existing login a new password instead of refusing")
	return cmd
}

// addUser creates the login name in the data directory's database.
func (a *app) addUser(cmd *cobra.Command, name, dataDir string, replace bool) error {
	if err := web.CheckUserName(name); err != nil {
		return err
	}
	password, err := a.readNewPassword(name)
	if err != nil {
		return err
	}
	dir := a.userDataDir(dataDir)
	st, err := store.OpenSQLite(cmd.Context(), dir)
	if err != nil {
		return err
	}
	defer st.Close()
	err = web.AddUser(cmd.Context(), web.NewSQLStore(st.WebDB()), name, password, 0, replace)
	if errors.Is(err, web.ErrUserExists) {
		return fmt.Errorf("the login %s exists already; give it a new password with "+
			"`parley user add %s --replace`", name, name)
	}
	if err != nil {
		return err
	}
	verb := "Created"
	if replace {
		verb = "Saved"
	}
	fmt.Fprintf(a.env.Stdout, "%s the inspector login %s in %s. Log in at /inspect.\n",
		verb, strings.ToLower(name), a.relToProject(st.Path()))
	return nil
}

// userDataDir is the data directory as `parley run` finds it: the flag,
// then $PARLEY_DATA_DIR, then .parley in the project.
func (a *app) userDataDir(flag string) string {
	dir := flag
	if dir == "" {
		dir = a.env.Getenv("PARLEY_DATA_DIR")
	}
	if dir == "" {
		dir = ".parley"
	}
	return a.resolve(dir)
}

// readNewPassword asks for the password twice on a terminal, or reads the
// first line of standard input.
func (a *app) readNewPassword(name string) (string, error) {
	if f, ok := a.env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return a.promptPassword(int(f.Fd()), name)
	}
	line, err := bufio.NewReader(a.env.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the password from standard input: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", errors.New("no password on standard input: pipe one in " +
			"(printf '%s\\n' \"$PASSWORD\" | parley user add NAME) or run it on a terminal")
	}
	return password, web.CheckPassword(password)
}

// promptPassword reads the password twice without echo.
func (a *app) promptPassword(fd int, name string) (string, error) {
	fmt.Fprintf(a.env.Stderr, "Password for %s: ", name)
	first, err := term.ReadPassword(fd)
	fmt.Fprintln(a.env.Stderr)
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	if err := web.CheckPassword(string(first)); err != nil {
		return "", err
	}
	fmt.Fprint(a.env.Stderr, "Repeat it: ")
	second, err := term.ReadPassword(fd)
	fmt.Fprintln(a.env.Stderr)
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	if string(first) != string(second) {
		return "", errors.New("the two passwords differ; nothing was saved")
	}
	return string(first), nil
}
