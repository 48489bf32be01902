import { Download } from 'lucide-react';
import { buttonClasses } from '../ui/button';
import { cn } from '../ui/cn';

/** A download link that looks like a button: the route streams the CSV, the browser saves it. */
export function ExportCsvLink({ href, label = 'Export CSV', className }: { href: string; label?: string; className?: string }) {
  return (
    <a href={href} download className={cn(buttonClasses('secondary', 'sm'), className)}>
      <Download aria-hidden="true" />
      {label}
    </a>
  );
}
