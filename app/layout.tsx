import type { Metadata, Viewport } from 'next';
import { Toaster } from '@/components/ui/toaster';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Tollbooth', template: '%s · Tollbooth' },
  description: 'LLM usage, spend and budgets per identity.',
};

export const viewport: Viewport = { themeColor: '#fafafa' };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans">
        {children}
        <Toaster />
      </body>
    </html>
  );
}
