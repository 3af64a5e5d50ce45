export interface Config {
  dbaas?: {
    metrics?: {
      /**
       * A Grafana dashboard for one database, linked from the Metrics card.
       * Placeholders, URL-encoded: `{namespace}`, `{name}`, `{database}`
       * (`<namespace>-<name>`) and `{cluster}`. For example
       * `https://grafana.example.com/d/postgres?var-cluster={cluster}&var-datname={database}`.
       * @visibility frontend
       */
      grafanaUrl?: string;
    };
    restore?: {
      /**
       * Declared by the dbaas backend plugin too; visible here so that the
       * restore dialog says how long the safety copy is kept.
       * @visibility frontend
       */
      keepSafetyCopyFor?:
        | string
        | {
            years?: number;
            months?: number;
            weeks?: number;
            days?: number;
            hours?: number;
            minutes?: number;
            seconds?: number;
            milliseconds?: number;
          };
    };
  };
}
