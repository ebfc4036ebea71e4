import type { Page } from 'playwright-core';

/** What a person does in the playground, as steps a browser test can reuse. */
export class PlaygroundPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('.graphiql-container').waitFor();
  }

  async useToken(token: string): Promise<void> {
    await this.page.getByLabel('App token').fill(token);
    await this.page.getByRole('button', { name: 'Use token' }).click();
    await this.page.getByTestId('token-status').filter({ hasText: token.slice(0, 9) }).waitFor();
  }

  /** Switches to the example tab whose operation has this name. */
  async openTab(operationName: string): Promise<void> {
    await this.page.locator('.graphiql-tab', { hasText: operationName }).first().click();
    await this.page.locator('.graphiql-query-editor', { hasText: operationName }).waitFor();
  }

  /** Replaces the operation in the active tab, typed as a person would. */
  async typeOperation(text: string): Promise<void> {
    await this.page.locator('.graphiql-query-editor .monaco-editor').first().click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Delete');
    // Monaco closes brackets itself and types over a closing one, so the text arrives as written.
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Escape');
  }

  /** Replaces the variables of the active tab. */
  async typeVariables(json: string): Promise<void> {
    await this.page.locator('.graphiql-editor-tool .monaco-editor').first().click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Delete');
    // One line, so Monaco's auto-indent adds nothing; closing brackets are typed over.
    await this.page.keyboard.type(json);
    await this.page.keyboard.press('Escape');
  }

  async run(): Promise<void> {
    await this.page.locator('.graphiql-execute-button').click();
  }

  /** Waits until the response pane shows text matching `pattern`, and returns that text. */
  async waitForResponse(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const pane = this.page.locator('.graphiql-response');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Monaco wraps long lines: compare with all whitespace collapsed.
      const text = (await pane.innerText()).replace(/\s+/g, ' ');
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`response pane never matched ${pattern}; it shows:\n${text}`);
      await this.page.waitForTimeout(100);
    }
  }
}
