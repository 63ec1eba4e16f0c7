export interface ComponentHealth {
  up: boolean;
  error?: string;
  since: string;
}

type Probe = () => Promise<ComponentHealth> | ComponentHealth;

/** Each dependency reports separately; the whole is healthy only when every part is. */
export class HealthRegistry {
  private readonly probes = new Map<string, Probe>();

  register(name: string, probe: Probe): void {
    this.probes.set(name, probe);
  }

  async check(): Promise<{ ok: boolean; components: Record<string, ComponentHealth> }> {
    const components: Record<string, ComponentHealth> = {};
    await Promise.all(
      [...this.probes].map(async ([name, probe]) => {
        try {
          components[name] = await probe();
        } catch (err) {
          components[name] = { up: false, error: (err as Error).message, since: new Date().toISOString() };
        }
      }),
    );
    return { ok: Object.values(components).every((c) => c.up), components };
  }
}

/** Tracks an up/down flag with the time it last changed and the last error seen. */
export class StatusFlag {
  private state: ComponentHealth = { up: false, error: 'not connected yet', since: new Date().toISOString() };

  set(up: boolean, error?: string): void {
    if (up !== this.state.up || error !== this.state.error) {
      this.state = { up, error: up ? undefined : error, since: up !== this.state.up ? new Date().toISOString() : this.state.since };
    }
  }

  get(): ComponentHealth {
    return { ...this.state };
  }
}
