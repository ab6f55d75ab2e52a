/** See refresh-notifications.mjs. */
export function attachNotifications(options: {
  bucket: string;
  region?: string;
  functionArn: string;
  prefix?: string;
}): Promise<void>;
