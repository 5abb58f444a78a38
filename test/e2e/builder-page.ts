import type { Locator, Page } from 'playwright-core';

/** What the end-to-end test does on the builder, in the designer's words. */
export class BuilderPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** Adds a node from the palette; returns the new node's id. */
  async add(type: string): Promise<string> {
    const before = await this.nodeIds();
    await this.page.getByTestId(`palette-${type}`).click();
    await this.page.waitForFunction(
      (count) => document.querySelectorAll('.react-flow__node').length > count,
      before.length,
    );
    const after = await this.nodeIds();
    const added = after.find((id) => !before.includes(id));
    if (added === undefined) {
      throw new Error(`No node of type ${type} appeared`);
    }
    return added;
  }

  node(id: string): Locator {
    return this.page.locator(`.react-flow__node[data-id="${id}"]`);
  }

  /** The class list of a node's own component (problems, path). */
  async nodeClass(id: string): Promise<string> {
    return (await this.node(id).locator('.journey-node').getAttribute('class')) ?? '';
  }

  /** Drags from a node's outcome handle to another node's input handle. */
  async connect(source: string, outcome: string, target: string): Promise<void> {
    const from = await this.box(
      this.node(source).locator(`.react-flow__handle.source[data-handleid="${outcome}"]`),
    );
    const to = await this.box(this.node(target).locator('.react-flow__handle.target'));
    const { mouse } = this.page;
    await mouse.move(from.x, from.y);
    await mouse.down();
    await mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
    await mouse.move(to.x, to.y, { steps: 5 });
    await mouse.up();
  }

  /** Selects one node by clicking it, which opens it in the inspector. */
  async select(id: string): Promise<void> {
    await this.node(id).locator('.journey-node__kind').click();
    await this.page.getByTestId('inspector').waitFor();
  }

  async fill(label: string, value: string): Promise<void> {
    await this.page.getByTestId('inspector').getByLabel(label, { exact: true }).fill(value);
  }

  async edgeCount(): Promise<number> {
    return this.page.locator('.react-flow__edge').count();
  }

  async nodeIds(): Promise<string[]> {
    return this.page
      .locator('.react-flow__node')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-id') ?? ''));
  }

  private async box(locator: Locator): Promise<{ x: number; y: number }> {
    const box = await locator.boundingBox();
    if (box === null) {
      throw new Error('The handle is not on screen');
    }
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }
}
