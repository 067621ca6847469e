/** What one `Relay.runOnce` (or `Relay.drain`) did. `retried` includes messages given back. */
export interface RelayRunCounts {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
}
