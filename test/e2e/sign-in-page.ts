import type { Page } from 'playwright-core';

/** What the end-to-end test does on the sign-in screen and the account menu. */
export class SignInPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /**
   * Gives the page Chromium's virtual authenticator (CDP WebAuthn domain): a platform
   * authenticator that verifies the user and answers every prompt by itself.
   */
  async addVirtualAuthenticator(): Promise<void> {
    const cdp = await this.page.context().newCDPSession(this.page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
  }

  async withPassword(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByTestId('sign-in').click();
    await this.page.getByTestId('account-menu').waitFor();
  }

  async withPasskey(): Promise<void> {
    await this.page.getByTestId('sign-in-passkey').click();
    await this.page.getByTestId('account-menu').waitFor();
  }

  /** Opens the account menu with the keyboard, as a keyboard user would. */
  async openMenu(): Promise<void> {
    const menu = this.page.getByTestId('account-menu');
    if ((await menu.getAttribute('open')) === null) {
      await menu.locator('summary').focus();
      await this.page.keyboard.press('Enter');
    }
  }

  /** Adds a passkey from the account menu; resolves with the menu's message. */
  async addPasskey(): Promise<string> {
    await this.openMenu();
    await this.page.getByTestId('add-passkey').click();
    const message = this.page.getByTestId('account-message');
    await message.waitFor();
    return message.innerText();
  }

  async signOut(): Promise<void> {
    await this.openMenu();
    await this.page.getByTestId('sign-out').click();
    await this.page.getByTestId('sign-in-passkey').waitFor();
  }

  /** Who the browser's session belongs to, as the server says. */
  async sessionUserId(): Promise<string | undefined> {
    return this.page.evaluate(async () => {
      const answer = await fetch('/api/auth/session', { credentials: 'same-origin' });
      return answer.ok ? ((await answer.json()) as { userId?: string }).userId : undefined;
    });
  }
}
