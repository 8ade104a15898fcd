package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/store/importer"
	"github.com/parley-chat/parley/internal/store/storeconfig"
)

// importFlags are the flags of `parley data import-trackers`.
type importFlags struct {
	project   projectFlags
	from      string
	sqlite    string
	overwrite bool
}

// importTrackersCommand is `parley data import-trackers`.
func (a *app) importTrackersCommand() *cobra.Command {
	f := &importFlags{}
	cmd := &cobra.Command{
		Use:   "import-trackers",
		Short: "Copy the conversations of a Rasa tracker store into Parley's store",
		Long: "Reads every conversation of an existing Rasa tracker store (its SQL events\n" +
			"table on SQLite, PostgreSQL or MySQL, or its Redis records) and writes it into\n" +
			"the tracker store `parley run` uses (tracker_store of this project's\n" +
			"endpoints.yml, or SQLite in the data directory). Give the Rasa store as the\n" +
			"endpoints.yml of the Rasa deployment (--from) or as Rasa's SQLite file\n" +
			"(--sqlite rasa.db). Conversations Parley already has are skipped unless\n" +
			"--overwrite.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.importTrackers(cmd, f) },
	}
	fs := cmd.Flags()
	f.project.addEndpoints(fs)
	fs.StringVar(&f.from, "from", "",
		"the Rasa endpoints.yml whose tracker_store holds the conversations")
	fs.StringVar(&f.sqlite, "sqlite", "", "Rasa's SQLite database file (rasa.db)")
	fs.BoolVar(&f.overwrite, "overwrite", false,
		"replace conversations that Parley's store already has")
	fs.String("data-dir", "", "the folder of Parley's database")
	fs.String("store", "sqlite", "Parley's default store when endpoints.yml names none")
	return cmd
}

// importTrackers is `parley data import-trackers`.
func (a *app) importTrackers(cmd *cobra.Command, f *importFlags) error {
	ctx := cmd.Context()
	src, err := a.importSource(ctx, f)
	if err != nil {
		return err
	}
	defer src.Close()
	s, err := a.loadSettings(cmd)
	if err != nil {
		return err
	}
	st := &startup{settings: s, log: a.log}
	stores, err := a.buildStores(ctx, st, &serveFlags{project: f.project})
	if err != nil {
		return err
	}
	defer stores.Close(context.WithoutCancel(ctx))
	rep, err := importer.Import(ctx, src, stores.Tracker, importer.Options{
		Overwrite: f.overwrite, Logger: a.log})
	fmt.Fprintf(a.env.Stdout, "Imported %d conversations (%d events); skipped %d that "+
		"Parley already had; dropped %d events of unknown types.\n",
		rep.Conversations, rep.Events, rep.Skipped, rep.Dropped)
	if err != nil {
		return fmt.Errorf("importing the conversations: %w", err)
	}
	return nil
}

// importSource opens the Rasa tracker store of --from or --sqlite.
func (a *app) importSource(ctx context.Context, f *importFlags) (importer.Source, error) {
	switch {
	case f.from != "" && f.sqlite != "":
		return nil, errors.New("give the Rasa store with --from or --sqlite, not both")
	case f.sqlite != "":
		m := map[string]any{"type": "SQL", "dialect": storeconfig.DialectSQLite,
			"db": a.resolve(f.sqlite)}
		return importer.OpenSource(ctx, m, project.Pos{}, a.env.Dir, a.lookupEnv)
	case f.from == "":
		return nil, errors.New("say where the Rasa conversations are: --from " +
			"<Rasa's endpoints.yml> or --sqlite <rasa.db>")
	}
	path := a.resolve(f.from)
	ep, _, err := project.LoadEndpointsFile(path, a.lookupEnv)
	if err != nil {
		return nil, fmt.Errorf("reading --from: %w", err)
	}
	if len(ep.TrackerStore) == 0 {
		return nil, fmt.Errorf("%s has no tracker_store section: Rasa kept its "+
			"conversations in memory, so there is nothing to import", path)
	}
	return importer.OpenSource(ctx, ep.TrackerStore, ep.Pos["tracker_store"], a.env.Dir,
		a.lookupEnv)
}
