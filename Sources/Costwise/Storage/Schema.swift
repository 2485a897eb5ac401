/// The store's schema, as the ordered list of migrations that build it.
///
/// `PRAGMA user_version` holds the number of migrations applied. A store opened by this version is
/// migrated forward; one with a higher number was written by a newer Costwise and is refused.
/// Migrations are append-only: a released one is never edited.
enum Schema {
    /// `PRAGMA application_id` of every Costwise store ("CstW"), so another application's SQLite
    /// file is not mistaken for an empty store.
    static let applicationID: Int32 = 0x4373_7457

    static var version: Int { migrations.count }

    /// The first version whose per-(model, task) statistics count answered gateway requests: a store
    /// migrated from before it has them recomputed once, so that rows written earlier count too.
    static let trafficInStatistics = 8

    static let migrations: [String] = [
        // 1: catalog, price history, evaluation results and their per-(model, task) statistics.
        """
        CREATE TABLE models (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            provider TEXT NOT NULL,
            input_usd_per_mtok REAL NOT NULL,
            output_usd_per_mtok REAL NOT NULL,
            request_usd REAL,
            context_window INTEGER,
            tier INTEGER,
            enabled INTEGER NOT NULL DEFAULT 1
        ) STRICT;

        CREATE TABLE price_history (
            id INTEGER PRIMARY KEY,
            model_id INTEGER NOT NULL REFERENCES models(id),
            input_usd_per_mtok REAL NOT NULL,
            output_usd_per_mtok REAL NOT NULL,
            request_usd REAL,
            source TEXT NOT NULL,
            effective_at REAL NOT NULL
        ) STRICT;
        CREATE INDEX price_history_by_model ON price_history(model_id, effective_at);

        CREATE TABLE task_types (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            tier INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL
        ) STRICT;

        -- Clustered by its key: one B-tree to write on import, and each pair's rows side by side when
        -- its statistics are recomputed. A missing run or item is ''; a result with neither gets an
        -- item of its own from the `sequences` table, so it is always new.
        CREATE TABLE results (
            model_id INTEGER NOT NULL REFERENCES models(id),
            task_id INTEGER NOT NULL REFERENCES task_types(id),
            run TEXT NOT NULL,
            item TEXT NOT NULL,
            score REAL NOT NULL,
            cost_usd REAL,
            latency_ms REAL,
            input_tokens INTEGER,
            output_tokens INTEGER,
            recorded_at REAL NOT NULL,
            PRIMARY KEY (model_id, task_id, run, item)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE sequences (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE model_task_stats (
            task_id INTEGER NOT NULL REFERENCES task_types(id),
            model_id INTEGER NOT NULL REFERENCES models(id),
            prior_score REAL,
            prior_weight REAL NOT NULL DEFAULT 0,
            prior_source TEXT,
            samples INTEGER NOT NULL DEFAULT 0,
            score_sum REAL NOT NULL DEFAULT 0,
            input_tokens_sum REAL NOT NULL DEFAULT 0,
            input_tokens_samples INTEGER NOT NULL DEFAULT 0,
            output_tokens_sum REAL NOT NULL DEFAULT 0,
            output_tokens_samples INTEGER NOT NULL DEFAULT 0,
            latency_p95_ms REAL,
            latency_samples INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (task_id, model_id)
        ) STRICT, WITHOUT ROWID;
        """,
        // 2: where each price came from (format and file hash), and aliases for model names.
        """
        ALTER TABLE price_history ADD COLUMN source_format TEXT;
        ALTER TABLE price_history ADD COLUMN source_sha256 TEXT;

        CREATE TABLE model_aliases (
            alias TEXT PRIMARY KEY,
            model_id INTEGER NOT NULL REFERENCES models(id)
        ) STRICT, WITHOUT ROWID;
        """,
        // 3: a default quality threshold per task type, used when a request names none.
        """
        ALTER TABLE task_types ADD COLUMN min_quality REAL;
        """,
        // 4: store settings, the log of selections, and trained task classifiers with their evaluations.
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            at REAL NOT NULL,
            task_id INTEGER NOT NULL REFERENCES task_types(id),
            model_id INTEGER REFERENCES models(id),
            threshold REAL NOT NULL,
            input_tokens REAL,
            output_tokens REAL,
            estimated_cost_usd REAL,
            premium_model_id INTEGER REFERENCES models(id),
            premium_cost_usd REAL,
            classifier TEXT
        ) STRICT;
        CREATE INDEX decisions_by_time ON decisions(at);

        CREATE TABLE classifiers (
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            parameters TEXT NOT NULL,
            trained_at REAL NOT NULL,
            examples INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE classifier_evaluations (
            id INTEGER PRIMARY KEY,
            classifier TEXT NOT NULL,
            at REAL NOT NULL,
            examples INTEGER NOT NULL,
            accuracy REAL NOT NULL,
            confusion TEXT NOT NULL,
            source TEXT
        ) STRICT;
        """,
        // 5: each task type's frontiers (see Frontier), so that a one-off selection reads a few rows
        // instead of every candidate. A row in `frontiers` says that the task's entries are current:
        // the triggers delete it whenever anything they derive from changes, whoever writes, and
        // Costwise computes it again before its own write commits.
        """
        CREATE TABLE frontiers (
            task_id INTEGER PRIMARY KEY,
            -- The entries answer requests whose fewest samples m lie in (samples_above, samples_up_to];
            -- NULL for no bound.
            samples_above REAL,
            samples_up_to REAL
        ) STRICT;

        CREATE TABLE frontier_entries (
            task_id INTEGER NOT NULL,
            -- 0: the mean; 1: the one-sided Wilson lower bound at 95%.
            measure INTEGER NOT NULL,
            value REAL NOT NULL,
            model_id INTEGER NOT NULL,
            PRIMARY KEY (task_id, measure, value)
        ) STRICT, WITHOUT ROWID;

        CREATE TRIGGER frontier_stale_on_stats_insert AFTER INSERT ON model_task_stats
        BEGIN DELETE FROM frontiers WHERE task_id = NEW.task_id; END;
        CREATE TRIGGER frontier_stale_on_stats_update AFTER UPDATE ON model_task_stats
        BEGIN DELETE FROM frontiers WHERE task_id IN (OLD.task_id, NEW.task_id); END;
        CREATE TRIGGER frontier_stale_on_stats_delete AFTER DELETE ON model_task_stats
        BEGIN DELETE FROM frontiers WHERE task_id = OLD.task_id; END;
        CREATE TRIGGER frontier_stale_on_model_update AFTER UPDATE ON models
        BEGIN DELETE FROM frontiers; END;
        CREATE TRIGGER frontier_stale_on_model_delete AFTER DELETE ON models
        BEGIN DELETE FROM frontiers; END;
        CREATE TRIGGER frontier_stale_on_task_update AFTER UPDATE ON task_types
        BEGIN DELETE FROM frontiers WHERE task_id IN (OLD.id, NEW.id); END;
        CREATE TRIGGER frontier_stale_on_task_delete AFTER DELETE ON task_types
        BEGIN DELETE FROM frontiers WHERE task_id = OLD.id; END;
        """,
        // 6: what each model can do besides plain chat (capability names joined by ';', NULL for none)
        // and the most output tokens one answer may hold.
        """
        ALTER TABLE models ADD COLUMN capabilities TEXT;
        ALTER TABLE models ADD COLUMN max_output_tokens INTEGER;
        """,
        // 7: the requests the gateway (`costwise serve`) answered, one row each (see RequestRecord).
        // Task and model are kept by name: a row is a log line that outlives a renamed catalog entry.
        """
        CREATE TABLE gateway_requests (
            id TEXT PRIMARY KEY,
            at REAL NOT NULL,
            task TEXT,
            model TEXT,
            status TEXT NOT NULL,
            http_status INTEGER NOT NULL,
            stream INTEGER NOT NULL,
            attempt_count INTEGER NOT NULL,
            -- One line per attempt: model, outcome and latency in ms, separated by tabs.
            attempts TEXT NOT NULL,
            threshold REAL,
            input_tokens INTEGER,
            output_tokens INTEGER,
            cached_tokens INTEGER,
            reasoning_tokens INTEGER,
            estimated_cost_usd REAL,
            cost_usd REAL,
            upstream_latency_ms REAL,
            time_to_first_token_ms REAL,
            overhead_ms REAL,
            premium_model TEXT,
            premium_cost_usd REAL
        ) STRICT;
        CREATE INDEX gateway_requests_by_time ON gateway_requests(at);
        """,
        // 8: prices of cached input and reasoning tokens, where a model's provider charges them apart
        // (NULL: the input or output price), and each (task, model) pair's latest answered gateway
        // requests in order, which its measured tokens and latency are computed from (see
        // SQLiteStore.trafficPerPair).
        """
        ALTER TABLE models ADD COLUMN cached_input_usd_per_mtok REAL;
        ALTER TABLE models ADD COLUMN reasoning_usd_per_mtok REAL;

        CREATE INDEX gateway_requests_answered_by_pair ON gateway_requests(task, model, at, id) WHERE status = 'ok';
        """,
        // 9: the gateway's API keys, the spend of each key per budget period, and the reservations that
        // hold budget for requests in flight. A key is kept as the SHA-256 of its token and the token's
        // first characters, never the token. Money is in whole picodollars (10^-12 USD), so that spend and
        // reservations add up exactly. A reservation is held, settled (charged_pusd is what was spent) or
        // released; a held one stops counting at expires_at, so one left by a killed process lapses.
        """
        CREATE TABLE api_keys (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            token_sha256 TEXT NOT NULL UNIQUE,
            token_prefix TEXT NOT NULL,
            -- Scope names joined by ','.
            scopes TEXT NOT NULL,
            budget_pusd INTEGER,
            period TEXT NOT NULL,
            rpm INTEGER,
            tpm INTEGER,
            created_at REAL NOT NULL,
            revoked_at REAL
        ) STRICT;

        -- Settled spend per key and period (period_start in seconds since 1970 UTC; 0 for a total budget).
        CREATE TABLE key_spend (
            key_id INTEGER NOT NULL REFERENCES api_keys(id),
            period_start REAL NOT NULL,
            spent_pusd INTEGER NOT NULL,
            PRIMARY KEY (key_id, period_start)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE budget_reservations (
            id INTEGER PRIMARY KEY,
            key_id INTEGER NOT NULL REFERENCES api_keys(id),
            request_id TEXT NOT NULL,
            model TEXT NOT NULL,
            period_start REAL NOT NULL,
            amount_pusd INTEGER NOT NULL,
            input_tokens_bound INTEGER NOT NULL,
            output_tokens_bound INTEGER NOT NULL,
            created_at REAL NOT NULL,
            expires_at REAL NOT NULL,
            state TEXT NOT NULL,
            charged_pusd INTEGER,
            input_tokens INTEGER,
            output_tokens INTEGER,
            -- 1 when the upstream reported more tokens than were reserved for (charged as reported).
            overrun INTEGER NOT NULL DEFAULT 0,
            closed_at REAL
        ) STRICT;
        CREATE INDEX budget_reservations_held ON budget_reservations(key_id, period_start) WHERE state = 'held';
        CREATE INDEX budget_reservations_by_request ON budget_reservations(request_id);
        """,
        // 10: the gateway's answered requests summed per UTC day and task type ('' for a request that named
        // a model), so that the dashboard reads a row per day instead of every request. Triggers keep the
        // sums whoever writes: an INSERT OR REPLACE first takes the replaced row out (its implicit delete
        // fires no delete trigger while recursive_triggers is off, SQLite's default, which Costwise keeps).
        """
        CREATE TABLE gateway_daily (
            day INTEGER NOT NULL,          -- days since 1970-01-01 UTC
            task TEXT NOT NULL,
            requests INTEGER NOT NULL,     -- answered (status ok)
            priced_requests INTEGER NOT NULL, -- of those, with a reported cost
            spend_usd REAL NOT NULL,
            premium_usd REAL NOT NULL,     -- what the priced ones would have cost on the premium alternative
            PRIMARY KEY (day, task)
        ) STRICT, WITHOUT ROWID;

        INSERT INTO gateway_daily (day, task, requests, priced_requests, spend_usd, premium_usd)
        SELECT CAST(at / 86400 AS INTEGER), coalesce(task, ''), count(*), count(cost_usd), total(cost_usd),
               total(CASE WHEN cost_usd IS NOT NULL THEN coalesce(premium_cost_usd, cost_usd) END)
        FROM gateway_requests WHERE status = 'ok' GROUP BY 1, 2;

        CREATE TRIGGER gateway_daily_on_insert AFTER INSERT ON gateway_requests WHEN NEW.status = 'ok'
        BEGIN
            INSERT INTO gateway_daily (day, task, requests, priced_requests, spend_usd, premium_usd)
            VALUES (CAST(NEW.at / 86400 AS INTEGER), coalesce(NEW.task, ''), 1, NEW.cost_usd IS NOT NULL, coalesce(NEW.cost_usd, 0),
                    CASE WHEN NEW.cost_usd IS NOT NULL THEN coalesce(NEW.premium_cost_usd, NEW.cost_usd) ELSE 0 END)
            ON CONFLICT (day, task) DO UPDATE SET requests = requests + 1, priced_requests = priced_requests + excluded.priced_requests,
                spend_usd = spend_usd + excluded.spend_usd, premium_usd = premium_usd + excluded.premium_usd;
        END;
        CREATE TRIGGER gateway_daily_on_replace BEFORE INSERT ON gateway_requests
        BEGIN
            UPDATE gateway_daily SET requests = requests - 1, priced_requests = priced_requests - (old.cost_usd IS NOT NULL),
                spend_usd = spend_usd - coalesce(old.cost_usd, 0),
                premium_usd = premium_usd - CASE WHEN old.cost_usd IS NOT NULL THEN coalesce(old.premium_cost_usd, old.cost_usd) ELSE 0 END
            FROM (SELECT at, task, cost_usd, premium_cost_usd FROM gateway_requests WHERE id = NEW.id AND status = 'ok') AS old
            WHERE gateway_daily.day = CAST(old.at / 86400 AS INTEGER) AND gateway_daily.task = coalesce(old.task, '');
        END;
        CREATE TRIGGER gateway_daily_on_delete AFTER DELETE ON gateway_requests WHEN OLD.status = 'ok'
        BEGIN
            UPDATE gateway_daily SET requests = requests - 1, priced_requests = priced_requests - (OLD.cost_usd IS NOT NULL),
                spend_usd = spend_usd - coalesce(OLD.cost_usd, 0),
                premium_usd = premium_usd - CASE WHEN OLD.cost_usd IS NOT NULL THEN coalesce(OLD.premium_cost_usd, OLD.cost_usd) ELSE 0 END
            WHERE day = CAST(OLD.at / 86400 AS INTEGER) AND task = coalesce(OLD.task, '');
        END;
        CREATE TRIGGER gateway_daily_on_update AFTER UPDATE ON gateway_requests
        BEGIN
            UPDATE gateway_daily SET requests = requests - 1, priced_requests = priced_requests - (OLD.cost_usd IS NOT NULL),
                spend_usd = spend_usd - coalesce(OLD.cost_usd, 0),
                premium_usd = premium_usd - CASE WHEN OLD.cost_usd IS NOT NULL THEN coalesce(OLD.premium_cost_usd, OLD.cost_usd) ELSE 0 END
            WHERE OLD.status = 'ok' AND day = CAST(OLD.at / 86400 AS INTEGER) AND task = coalesce(OLD.task, '');
            INSERT INTO gateway_daily (day, task, requests, priced_requests, spend_usd, premium_usd)
            SELECT CAST(NEW.at / 86400 AS INTEGER), coalesce(NEW.task, ''), 1, NEW.cost_usd IS NOT NULL, coalesce(NEW.cost_usd, 0),
                   CASE WHEN NEW.cost_usd IS NOT NULL THEN coalesce(NEW.premium_cost_usd, NEW.cost_usd) ELSE 0 END
            WHERE NEW.status = 'ok'
            ON CONFLICT (day, task) DO UPDATE SET requests = requests + 1, priced_requests = priced_requests + excluded.priced_requests,
                spend_usd = spend_usd + excluded.spend_usd, premium_usd = premium_usd + excluded.premium_usd;
        END;
        """,
        // 11: each pair's mean as QualityEstimate computes it (NULL without samples), computed on read
        // and indexed per task type, so a select with its own token counts reads only the pairs whose
        // mean reaches its threshold instead of every pair of the task type.
        """
        ALTER TABLE model_task_stats ADD COLUMN mean REAL GENERATED ALWAYS AS
            ((score_sum + coalesce(prior_score * prior_weight, 0)) / (samples + iif(prior_score IS NULL, 0, prior_weight))) VIRTUAL;
        CREATE INDEX model_task_stats_by_mean ON model_task_stats(task_id, mean);
        """,
        // 12: request records are written as PostgreSQL writes them, inserted or else updated in place
        // (`ON CONFLICT (id) DO UPDATE`), which the insert and update triggers follow: the trigger that
        // looked up every inserted id for a row it would replace took about 40% of SQLite's time per record.
        """
        DROP TRIGGER gateway_daily_on_replace;
        """,
    ]
}
