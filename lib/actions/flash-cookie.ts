/** The cookie a redirecting action leaves a toast in (lib/actions/flash.ts), read once by the next page's FlashToaster. */
export const FLASH_COOKIE = 'tollbooth_flash';
