import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD } from '../helpers/server.js';

/** Signs in through the sign-in page, as a person would, and waits for the home page. */
export async function signIn(page: Page, baseUrl: string, login: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel('Email').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/`);
}

/** Signs in as the admin every test app starts with (helpers/server.ts). */
export function signInAsAdmin(page: Page, baseUrl: string): Promise<void> {
  return signIn(page, baseUrl, 'admin', ADMIN_PASSWORD);
}
