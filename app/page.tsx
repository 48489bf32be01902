import { redirect } from 'next/navigation';

// The Studio's landing page is the identities list.
export default function Home() {
  redirect('/identities');
}
