// Test helper: picks an option of a Mantine Select by the select's label. Its dropdown stays "hidden"
// to jsdom while it transitions, so the option is looked up inside the listbox the select controls.
import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';

export async function chooseOption(user: UserEvent, label: string, option: string) {
  const combobox = screen.getByRole('combobox', { name: label });
  await user.click(combobox);
  const listbox = await waitFor(() => document.getElementById(combobox.getAttribute('aria-controls') ?? '') ?? Promise.reject(new Error(`no options for ${label}`)));
  await user.click(within(listbox).getByRole('option', { name: option, hidden: true }));
}
