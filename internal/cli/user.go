package cli

import (
	"bufio"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/storeconfig"
	"github.com/parley-chat/parley/internal/web"
)

// userCommand is `parley user`, which manages the inspector's logins.
func (a *app) userCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage the logins of the web inspector (/inspect)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.userAddCommand(), a.userListCommand(), a.userRemoveCommand())
	return cmd
}

// userStoreFlags are the flags that find the logins' database, as for add.
func userStoreFlags(cmd *cobra.Command, project *projectFlags) {
	fs := cmd.Flags()
	project.addEndpoints(fs)
	fs.String("data-dir", "",
		"the folder of Parley's database (default .parley in the project, or $PARLEY_DATA_DIR)")
	fs.String("store", store.KindSQLite,
		"the store when endpoints.yml has no tracker_store: sqlite (in --data-dir)")
}

// userListCommand is `parley user list`.
func (a *app) userListCommand() *cobra.Command {
	var project projectFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the logins of the web inspector",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withUsers(cmd, &project, func(users *web.SQLStore, where string) error {
				list, err := users.Users(cmd.Context())
				if err != nil {
					return err
				}
				if len(list) == 0 {
					fmt.Fprintf(a.env.Stdout, "No inspector logins in %s; add one with "+
						"`parley user add NAME`.\n", where)
				}
				for _, u := range list {
					fmt.Fprintf(a.env.Stdout, "%s\tsince %s\n", u.Name,
						u.Created.Format("2006-01-02 15:04 UTC"))
				}
				return nil
			})
		},
	}
	userStoreFlags(cmd, &project)
	return cmd
}

// userRemoveCommand is `parley user remove NAME`.
func (a *app) userRemoveCommand() *cobra.Command {
	var project projectFlags
	cmd := &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a login of the web inspector and log it out everywhere",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withUsers(cmd, &project, func(users *web.SQLStore, where string) error {
				err := users.RemoveUser(cmd.Context(), args[0])
				if errors.Is(err, web.ErrNoUser) {
					return fmt.Errorf("there is no inspector login %s in %s (`parley user "+
						"list` shows them)", args[0], where)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(a.env.Stdout, "Removed the inspector login %s from %s; its "+
					"sessions are ended.\n", strings.ToLower(args[0]), where)
				return nil
			})
		},
	}
	userStoreFlags(cmd, &project)
	return cmd
}

// withUsers opens the logins' database as add does and runs f on it.
func (a *app) withUsers(cmd *cobra.Command, project *projectFlags,
	f func(users *web.SQLStore, where string) error) error {
	ts, where, err := a.openUserStore(cmd, project)
	if err != nil {
		return err
	}
	defer ts.Close()
	db, ok := ts.(interface{ WebDB() *sql.DB })
	if !ok {
		return fmt.Errorf("%s keeps no inspector logins: they live in an SQL database "+
			"(tracker_store type SQL in endpoints.yml, or SQLite with --store sqlite)", where)
	}
	return f(web.NewSQLStore(db.WebDB()), where)
}

// userAddCommand is `parley user add NAME`.
func (a *app) userAddCommand() *cobra.Command {
	var project projectFlags
	var replace bool
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Create a login for the web inspector",
		Long: "Creates a login for the inspector at /inspect, in the database that `parley run`\n" +
			"uses: the tracker_store of endpoints.yml (SQLite, PostgreSQL or MySQL), else\n" +
			"SQLite in the data directory. The password is asked for twice on a terminal, or\n" +
			"read from the first line of standard input otherwise; it is stored as a bcrypt\n" +
			"hash. Names are letters, digits and . _ @ -, and are not case-sensitive.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.addUser(cmd, &project, args[0], replace)
		},
	}
	userStoreFlags(cmd, &project)
	fs := cmd.Flags()
	fs.BoolVar(&replace, "replace", false,
		"give an existing login a new password instead of refusing")
	return cmd
}

// addUser creates the login name in the database of the tracker store
// that `parley run` would open.
func (a *app) addUser(cmd *cobra.Command, project *projectFlags, name string,
	replace bool) error {
	if err := web.CheckUserName(name); err != nil {
		return err
	}
	password, err := a.readNewPassword(name)
	if err != nil {
		return err
	}
	return a.withUsers(cmd, project, func(users *web.SQLStore, where string) error {
		err := web.AddUser(cmd.Context(), users, name, password, 0, replace)
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
			verb, strings.ToLower(name), where)
		return nil
	})
}

// openUserStore opens the tracker store as `parley run` does: the
// tracker_store of endpoints.yml, else the --store default in the data
// directory. It returns the store and words for where it is.
func (a *app) openUserStore(cmd *cobra.Command, project *projectFlags) (
	store.TrackerStore, string, error) {
	ctx := cmd.Context()
	s, err := a.loadSettings(cmd)
	if s == nil {
		return nil, "", err
	}
	ep, err := a.readEndpoints(project)
	if err != nil {
		return nil, "", err
	}
	ts, kind, err := storeconfig.OpenTrackerStore(ctx, ep.TrackerStore, ep.Pos["tracker_store"],
		storeconfig.Options{BaseDir: a.env.Dir, DataDir: s.DataDir, Logger: a.log,
			LookupEnv: a.lookupEnv})
	if err != nil {
		return nil, "", err
	}
	if ts == nil {
		if s.TrackerStore != store.KindSQLite {
			return nil, "", fmt.Errorf("the %s store keeps nothing after this command ends: "+
				"add the login with --store sqlite, or name an SQL tracker_store in "+
				"endpoints.yml", s.TrackerStore)
		}
		if ts, err = store.OpenSQLite(ctx, s.DataDir); err != nil {
			return nil, "", err
		}
		kind = storeconfig.KindSQLite
	}
	return ts, a.storeWhere(ts, kind, project.endpoints), nil
}

// storeWhere says where a tracker store named in the endpoints file
// keeps its data, for messages.
func (a *app) storeWhere(ts store.TrackerStore, kind, endpoints string) string {
	switch kind {
	case storeconfig.KindPostgres:
		return "the PostgreSQL tracker store of " + endpoints
	case storeconfig.KindMySQL:
		return "the MySQL tracker store of " + endpoints
	}
	if p, ok := ts.(interface{ Path() string }); ok {
		return a.relToProject(p.Path())
	}
	return "the " + kind + " tracker store"
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
