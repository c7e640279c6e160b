// The Azure Storage client side of the shared state backend: Azurite on loopback, through the
// official client (@azure/storage-blob, pinned in package.json). internal/simulation/azurite runs it.
//
//   node blobs.mjs create <endpoint> <container>  create the container (nothing when it exists)
//   node blobs.mjs list <endpoint> <container>    print the container's blobs, one JSON object a line
//   node blobs.mjs get <endpoint> <container> <blob>  print one blob's content
//
// <endpoint> is the emulator's account endpoint, http://127.0.0.1:<port>/<account>; anything but
// loopback is refused. The account and key come from AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY, the
// variables Pulumi's azblob:// backend reads too.
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";

const [command, endpoint, containerName, blobName] = process.argv.slice(2);
if (!["create", "list", "get"].includes(command) || !endpoint || !containerName || (command === "get") !== !!blobName) {
  fail("usage: node blobs.mjs create|list <endpoint> <container>, or get <endpoint> <container> <blob>");
}
const host = new URL(endpoint).hostname;
if (host !== "127.0.0.1" && host !== "localhost") {
  fail(`refusing ${endpoint}: only the emulator on loopback is allowed`);
}
const account = process.env.AZURE_STORAGE_ACCOUNT;
const key = process.env.AZURE_STORAGE_KEY;
if (!account || !key) {
  fail("AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY must be set");
}
const service = new BlobServiceClient(endpoint, new StorageSharedKeyCredential(account, key), {
  retryOptions: { maxTries: 2 },
});
const container = service.getContainerClient(containerName);

try {
  if (command === "create") {
    await container.createIfNotExists();
  } else if (command === "get") {
    process.stdout.write(await container.getBlobClient(blobName).downloadToBuffer());
  } else {
    for await (const blob of container.listBlobsFlat()) {
      console.log(JSON.stringify({ name: blob.name, size: blob.properties.contentLength }));
    }
  }
} catch (err) {
  fail(`${command} ${containerName} at ${endpoint}: ${err.message}`);
}

function fail(message) {
  console.error(message);
  process.exit(1);
}
