package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-chat/parley/internal/backup"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/storeconfig"
)

// dbCommand is `parley db`: backup and restore of the SQLite database.
func (a *app) dbCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Back up or restore the conversation database (SQLite)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.dbBackupCommand(), a.dbRestoreCommand())
	return cmd
}

func (a *app) dbBackupCommand() *cobra.Command {
	var force bool
	var project projectFlags
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the database to FILE, while the server runs",
		Long: "Copies the SQLite database `parley run` uses (the tracker_store of endpoints.yml\n" +
			"when it names SQLite, else .parley/parley.db, $PARLEY_DATA_DIR or --data-dir)\n" +
			"to FILE with SQLite's VACUUM INTO: one\n" +
			"consistent snapshot, taken while `parley run` goes on answering, checked\n" +
			"before it is given the name FILE.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := a.dataDir(cmd, &project)
			if err != nil {
				return err
			}
			info, err := backup.Backup(cmd.Context(), filepath.Join(dir, store.DBFile),
				a.resolve(args[0]), force)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.env.Stdout, "Backed up %s to %s\n", filepath.Join(dir, store.DBFile),
				info)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite FILE when it exists")
	cmd.Flags().String("data-dir", "", "the folder holding the database")
	project.addEndpoints(cmd.Flags())
	return cmd
}

func (a *app) dbRestoreCommand() *cobra.Command {
	var project projectFlags
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Put a backup back as the database (stop the server first)",
		Long: "Replaces the database in the data directory with the backup FILE. It refuses\n" +
			"while a Parley process holds the data directory, and refuses a FILE that is not\n" +
			"a sound Parley database. The database it replaces is kept beside it as\n" +
			"parley.db.before-restore-<time>.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := a.dataDir(cmd, &project)
			if err != nil {
				return err
			}
			res, err := backup.Restore(cmd.Context(), a.resolve(args[0]), dir, time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(a.env.Stdout, "Restored %s as %s\n", a.resolve(args[0]), res.Info)
			if res.Kept != "" {
				fmt.Fprintf(a.env.Stdout, "The previous database is kept as %s\n", res.Kept)
			}
			return nil
		},
	}
	cmd.Flags().String("data-dir", "", "the folder holding the database")
	project.addEndpoints(cmd.Flags())
	return cmd
}

// dataDir is the folder of the SQLite database `parley run` uses: the
// tracker_store of endpoints.yml when it names SQLite with a db, else the
// data directory the settings choose (--data-dir, PARLEY_DATA_DIR, or
// .parley in the project). Other settings that cannot be used do not stop a
// backup; a tracker store that is not SQLite does, with a word on how to
// back it up instead.
func (a *app) dataDir(cmd *cobra.Command, project *projectFlags) (string, error) {
	s, err := a.loadSettings(cmd)
	if s == nil || s.DataDir == "" {
		return "", err
	}
	ep, err := a.readEndpoints(project)
	if err != nil {
		return "", err
	}
	dir := s.DataDir
	if !cmd.Flags().Changed("data-dir") {
		dir, err = storeconfig.SQLiteDir(ep.TrackerStore, ep.Pos["tracker_store"],
			storeconfig.Options{BaseDir: a.env.Dir, DataDir: s.DataDir, LookupEnv: a.lookupEnv})
	}
	if errors.Is(err, storeconfig.ErrNotSQLite) {
		return "", fmt.Errorf("%w: parley db backs up Parley's SQLite database; back this "+
			"store up with its own tools (pg_dump, mysqldump, redis-cli --rdb)", err)
	}
	return dir, err
}
