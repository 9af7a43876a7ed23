throw new Error('node-datachannel is not available in this build (browser-only peer)');
