// Loads the adapter's WSDL with node-soap and calls SendMessage.
// usage: node call.js WSDL_URL SENDER PASSWORD MESSAGE_ID APPLICATION_XML_FILE
// Prints the answer as JSON; exits 1 on a SOAP fault (printing its detail).
const fs = require('fs');
const soap = require('soap');

async function main() {
  const [url, sender, password, messageId, appFile] = process.argv.slice(2);
  const client = await soap.createClientAsync(url);
  const app = fs.readFileSync(appFile, 'utf8').replace(/^<\?xml[^>]*>\s*/, '');
  const [result] = await client.SendMessageAsync({
    request: {
      requestInfo: {
        messageId,
        serviceId: 'ISB_FOREIGN_PERIODICAL_REGISTRATION',
        messageDate: new Date().toISOString(),
        sender: { senderId: sender, password },
      },
      requestData: { data: { $xml: app } },
    },
  });
  process.stdout.write(JSON.stringify(result));
}

main().catch((err) => {
  process.stderr.write(String(err && err.body ? err.body : err) + '\n');
  process.exit(1);
});
