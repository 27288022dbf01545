console.log('webfax');
