import { type ControlCommand, parseControlCommand } from "../control-command.js";
import type { DashboardSettings } from "../wire-types.js";
import { sendControl } from "./control-client.js";
import { byId, el } from "./dom.js";
import type { PageStore } from "./page-store.js";

const TOKEN_KEY = "fedtau-admin-token";

/** The controls: start / stop, case, delay, budget, tau mode, and the admin token when needed. */
export class ControlPanel {
  private readonly start = byId<HTMLButtonElement>("start");
  private readonly stop = byId<HTMLButtonElement>("stop");
  private readonly cases = [...byId("case").querySelectorAll<HTMLButtonElement>("button")];
  private readonly delayNode = byId<HTMLSelectElement>("delay-node");
  private readonly delayMs = byId<HTMLInputElement>("delay-ms");
  private readonly budget = byId<HTMLInputElement>("budget");
  private readonly tauAdaptive = byId<HTMLInputElement>("tau-adaptive");
  private readonly tauFixed = byId<HTMLInputElement>("tau-fixed");
  private readonly tauValue = byId<HTMLInputElement>("tau-value");
  private readonly tokenField = byId("token-field");
  private readonly token = byId<HTMLInputElement>("token");
  private readonly message = byId("control-message");
  private readonly disabledNote = byId("controls-disabled");
  private readonly form = byId<HTMLFieldSetElement>("controls-fieldset");
  private nodeIds = "";

  constructor(
    private readonly base: URL,
    private readonly store: PageStore,
  ) {
    this.token.value = sessionStorage.getItem(TOKEN_KEY) ?? "";
    this.token.addEventListener("change", () =>
      sessionStorage.setItem(TOKEN_KEY, this.token.value),
    );
    this.start.addEventListener("click", () => void this.send({ type: "start" }));
    this.stop.addEventListener("click", () => void this.send({ type: "stop" }));
    for (const button of this.cases) {
      button.addEventListener(
        "click",
        () =>
          void this.send({
            type: "set-case",
            case: Number(button.dataset.case) as DashboardSettings["case"],
          }),
      );
    }
    byId("delay-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const node = this.delayNode.value;
      void this.send({
        type: "set-delay",
        ms: Number(this.delayMs.value),
        ...(node ? { node } : {}),
      });
    });
    this.delayNode.addEventListener("change", () => this.showDelay(true));
    byId("budget-form").addEventListener("submit", (e) => {
      e.preventDefault();
      void this.send({ type: "set-budget", seconds: Number(this.budget.value) });
    });
    byId("tau-form").addEventListener("submit", (e) => {
      e.preventDefault();
      void this.send({
        type: "set-tau",
        tau: this.tauAdaptive.checked ? "adaptive" : Number(this.tauValue.value),
      });
    });
    this.tauValue.addEventListener("focus", () => {
      this.tauFixed.checked = true;
    });
  }

  /** Shows the settings and the nodes as the store has them. */
  draw(): void {
    const { store } = this;
    const s = store.settings;
    this.tokenField.hidden = store.access !== "token";
    this.disabledNote.hidden = store.access !== "disabled";
    this.form.disabled = store.access === "disabled";
    this.syncNodes();
    if (!s) return;
    this.start.disabled = s.running;
    this.stop.disabled = !s.running;
    for (const button of this.cases) {
      button.setAttribute("aria-pressed", String(Number(button.dataset.case) === s.case));
    }
    this.showDelay(false);
    setIfIdle(this.budget, String(s.budgetSeconds));
    if (!this.editing(byId("tau-form"))) {
      this.tauAdaptive.checked = s.tauMode === "adaptive";
      this.tauFixed.checked = s.tauMode !== "adaptive";
      if (s.tauMode !== "adaptive") this.tauValue.value = String(s.tauMode);
    }
  }

  private syncNodes(): void {
    const ids = [...this.store.nodes.keys()].sort((a, b) =>
      a.localeCompare(b, "en", { numeric: true }),
    );
    const key = ids.join("\n");
    if (key === this.nodeIds) return;
    this.nodeIds = key;
    const chosen = this.delayNode.value;
    this.delayNode.replaceChildren(
      el("option", { value: "" }, ["all nodes"]),
      ...ids.map((id) => el("option", { value: id }, [id])),
    );
    this.delayNode.value = ids.includes(chosen) ? chosen : "";
  }

  /** The delay field shows the chosen node's delay, or the one set for all. */
  private showDelay(force: boolean): void {
    const node = this.delayNode.value;
    const ms = node ? this.store.nodes.get(node)?.delayMs : this.store.settings?.delayMs;
    if (ms === undefined) return;
    if (force) this.delayMs.value = String(ms);
    else setIfIdle(this.delayMs, String(ms));
  }

  private editing(form: HTMLElement): boolean {
    return form.contains(document.activeElement) && document.activeElement !== document.body;
  }

  private async send(command: ControlCommand): Promise<void> {
    const checked = parseControlCommand(command);
    if (!checked.ok) {
      this.say(checked.message, true);
      return;
    }
    this.say("…", false);
    const reply = await sendControl(this.base, checked.command, this.token.value.trim());
    if (reply.ok) this.say(`Done: ${describe(checked.command)}`, false);
    else this.say(reply.message, true);
  }

  private say(text: string, error: boolean): void {
    this.message.textContent = text;
    this.message.classList.toggle("error", error);
  }
}

/** Sets an input's value unless the user is typing in it. */
function setIfIdle(input: HTMLInputElement, value: string): void {
  if (document.activeElement !== input) input.value = value;
}

function describe(command: ControlCommand): string {
  switch (command.type) {
    case "set-case":
      return `case ${command.case}, the run restarts`;
    case "set-delay":
      return `${command.ms} ms delay on ${command.node ?? "every node"}`;
    case "set-budget":
      return `budget ${command.seconds} s from the next run`;
    case "set-tau":
      return `${command.tau === "adaptive" ? "adaptive tau" : `tau fixed at ${command.tau}`}, the run restarts`;
    default:
      return command.type;
  }
}
