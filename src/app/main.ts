const root = document.getElementById('app');
if (root) root.textContent = 'hafrec demo';
document.body.dataset.ready = 'true';
